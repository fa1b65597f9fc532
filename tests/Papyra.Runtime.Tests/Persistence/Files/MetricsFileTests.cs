using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Metrics;

namespace Papyra.Runtime.Tests.Persistence.Files;

public sealed class MetricsFileTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_writing_backend_publishes_its_counters_beside_the_store_every_interval()
    {
        await using var backend = Create();
        await backend.RecordEventAsync(new PersistedEvent("local", null, "E", null, 1));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var reader = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_003));
        PersistenceLiveMetrics? live = PersistenceMetricsFile.TryRead(_store.Path, reader);

        Assert.NotNull(live);
        Assert.Equal((Environment.ProcessId, "json", _store.Path, 1L), (live.ProcessId, live.Backend, live.StorePath, live.Snapshot.RecordsWritten));
        Assert.Equal(1_700_000_001, live.PublishedAt);
        Assert.Equal(TimeSpan.FromSeconds(2), live.Age);
    }

    [Fact]
    public async Task A_reset_request_zeroes_the_publishers_counters_and_is_consumed()
    {
        await using var backend = Create();
        await backend.RecordEventAsync(new PersistedEvent("local", null, "E", null, 1));
        _clock.Advance(TimeSpan.FromSeconds(1));

        PersistenceMetricsFile.RequestReset(_store.Path);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, backend.GetMetricsSnapshot().RecordsWritten);
        Assert.Equal(0, PersistenceMetricsFile.TryRead(_store.Path, _clock)!.Snapshot.RecordsWritten);
        Assert.False(File.Exists(PersistenceMetricsFile.ResetRequestPathFor(_store.Path)));
    }

    [Fact]
    public async Task Disposing_a_writer_publishes_the_final_counters()
    {
        await using (var backend = Create())
        {
            await backend.RecordEventAsync(new PersistedEvent("local", null, "E", null, 1));
            await backend.RecordEventAsync(new PersistedEvent("local", null, "E", null, 2));
        }

        Assert.Equal(2, PersistenceMetricsFile.TryRead(_store.Path, _clock)!.Snapshot.RecordsWritten);
        Assert.Equal(["store.ndjson", "store.ndjson.metrics.json"], _store.FilesBeside());
    }

    [Fact]
    public async Task A_backend_that_only_reads_scans_or_compacts_never_creates_the_metrics_file()
    {
        _store.Write("{\"kind\":\"event\",\"timestamp\":1}\n");
        await using (var backend = Create())
        {
            await backend.ReadEventsAsync();
            await backend.ScanAsync();
            await backend.CompactAsync();
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Null(PersistenceMetricsFile.TryRead(_store.Path, _clock));
        Assert.Equal(["store.ndjson"], _store.FilesBeside());
    }

    [Fact]
    public void Reading_a_missing_or_garbled_metrics_file_returns_null()
    {
        Assert.Null(PersistenceMetricsFile.TryRead(_store.Path));
        File.WriteAllText(PersistenceMetricsFile.MetricsPathFor(_store.Path), "{not json");
        Assert.Null(PersistenceMetricsFile.TryRead(_store.Path));
    }

    private JsonFilePersistenceBackend Create() => new(new JsonFilePersistenceOptions { Path = _store.Path, TimeProvider = _clock, Durability = PersistenceDurability.Flush });
}
