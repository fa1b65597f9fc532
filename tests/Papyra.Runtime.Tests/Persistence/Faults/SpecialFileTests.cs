using System.Diagnostics;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;
using Papyra.Runtime.Tests.Persistence.Files;

namespace Papyra.Runtime.Tests.Persistence.Faults;

/// <summary>Only regular files are stores: a FIFO blocked open forever, /dev/zero was read forever.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);
    private readonly TempStore _store = new("pipe.ndjson");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_fifo_is_refused_at_once_by_every_operation()
    {
        MakeFifo(_store.Path);
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        var stopwatch = Stopwatch.StartNew();
        IOException scan = await Assert.ThrowsAsync<IOException>(async () => await backend.ScanAsync().AsTask().WaitAsync(Bound));
        await Assert.ThrowsAsync<IOException>(async () => await backend.ReadEventsAsync().AsTask().WaitAsync(Bound));
        await Assert.ThrowsAsync<IOException>(async () => await backend.RecordEventAsync(Event()).AsTask().WaitAsync(Bound));
        await Assert.ThrowsAsync<IOException>(async () => await backend.CompactAsync().AsTask().WaitAsync(Bound));

        Assert.True(stopwatch.Elapsed < Bound * 4);
        Assert.Equal($"The store path '{_store.Path}' is a FIFO (named pipe), not a regular file; only regular files can be stores.", scan.Message);
    }

    [Fact]
    public async Task A_fifo_in_a_rotation_slot_is_reported_not_opened()
    {
        File.WriteAllText(_store.Path, "{\"kind\":\"event\",\"timestamp\":1}\n");
        MakeFifo(_store.Path + ".1");
        await using var backend = new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        PersistenceScanReport report = await backend.ScanAsync().AsTask().WaitAsync(Bound);

        Assert.Equal(_store.Path + ".1", Assert.Single(report.Anomalies).Path);
        Assert.Single((await backend.ReadEventsAsync().AsTask().WaitAsync(Bound)).Records);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/null", "a character device")]
    public async Task A_device_is_refused_at_once(string device, string what)
    {
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = device, PublishMetrics = false });

        IOException error = await Assert.ThrowsAsync<IOException>(async () => await backend.ScanAsync().AsTask().WaitAsync(Bound));

        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using Process process = Process.Start("mkfifo", path);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private static PersistedEvent Event() => new("local", new ActorAddress("local", 1), "ActorStarted", null, 1);
}
