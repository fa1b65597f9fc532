using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Persistence.Faults;

/// <summary>
/// A full disk, for real: the store lives on a 2 MiB tmpfs that a ballast file fills until a write
/// fits only part-way. Nothing acknowledged may be lost, no torn fragment may swallow the next
/// record, the failure is logged once (not once per record), and writes resume once space is freed.
/// </summary>
public sealed class DiskFullTests
{
    [Theory]
    [InlineData(PersistenceDurability.Fsync, "json")]
    [InlineData(PersistenceDurability.Flush, "json")]
    [InlineData(PersistenceDurability.None, "json")]
    [InlineData(PersistenceDurability.Fsync, "rotating")]
    [InlineData(PersistenceDurability.None, "rotating")]
    public async Task A_write_that_fits_only_partly_loses_no_acknowledged_record_and_the_store_stays_clean(PersistenceDurability durability, string backendName)
    {
        using var disk = new TmpfsMount(2048);
        string path = Path.Combine(disk.Directory, "store.ndjson");
        var logger = new CapturingLogger();
        var acknowledged = new List<long>();
        var afterRecovery = new List<long>();
        int failures = 0;
        await using (IPersistenceBackend backend = Open(path, backendName, durability, logger))
        {
            long seq = 0;
            for (; seq < 20; seq++)
            {
                await backend.RecordEventAsync(Event(seq));
                acknowledged.Add(seq);
            }

            await backend.FlushAsync();
            disk.Fill(freeBytes: 40 * 1024);

            // Keep writing well past the first failure: a log line per failed record is what flooded the log.
            while (failures < 60)
            {
                Assert.True(seq < 100_000, "the disk never filled up");
                try
                {
                    await backend.RecordEventAsync(Event(seq));
                    acknowledged.Add(seq);
                }
                catch (IOException)
                {
                    failures++;
                }

                seq++;
            }

            disk.Free();
            for (int i = 0; i < 20; i++, seq++)
            {
                await backend.RecordEventAsync(Event(seq));
                afterRecovery.Add(seq);
            }

            await backend.FlushAsync();
            Assert.True(((IPersistenceMetrics)backend).GetMetricsSnapshot().WriteErrors >= failures, "every failed record is counted in write_errors");
        }

        Assert.Equal(1, logger.Entries.Count(e => e.Level == LogLevel.Error));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("resumed", StringComparison.Ordinal));

        await using IPersistenceBackend reader = Open(path, backendName, durability, logger: null);
        PersistenceScanReport scan = await ((IPersistenceScanner)reader).ScanAsync();
        Assert.True(scan.TotalAnomalies == 0, $"the store is clean after a full disk, found: {string.Join("; ", scan.Anomalies.Select(a => a.Detail))}");
        var stored = (await reader.ReadEventsAsync()).Records.Select(e => e.Payload.GetProperty("seq").GetInt64()).ToHashSet();
        Assert.All(afterRecovery, s => Assert.Contains(s, stored));
        if (durability != PersistenceDurability.None)
        {
            // None mode promises nothing past the OS buffer: the buffer a failed write held is lost (and counted).
            Assert.All(acknowledged, s => Assert.Contains(s, stored));
        }
    }

    [Fact]
    public async Task A_repair_that_runs_out_of_space_leaves_no_sidecar_and_no_temp_file()
    {
        using var disk = new TmpfsMount(2048);
        string path = Path.Combine(disk.Directory, "store.ndjson");
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            text.Append("{\"kind\":\"event\",\"timestamp\":").Append(i.ToString(CultureInfo.InvariantCulture)).Append("}\n");
            text.Append("damaged ").Append('x', 1000).Append('\n');
        }

        await File.WriteAllTextAsync(path, text.ToString());
        byte[] before = await File.ReadAllBytesAsync(path);
        disk.Fill(freeBytes: 100 * 1024);
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });

        await Assert.ThrowsAsync<IOException>(async () => await backend.RecoverAsync(PersistenceRecoveryConfig.Repair));

        Assert.Equal(["ballast", "store.ndjson"], Directory.EnumerateFileSystemEntries(disk.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
    }

    // A rotating set of 64 KiB files: rotation writes and syncs the pending batch itself, the path
    // where a failed write used to leave its Fsync writers waiting for an empty commit to succeed.
    private static IPersistenceBackend Open(string path, string backendName, PersistenceDurability durability, ILogger? logger) => backendName == "rotating"
        ? new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = path, Durability = durability, PublishMetrics = false, Logger = logger, MaxBytes = 64 * 1024, MaxFiles = 1000 })
        : new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, Durability = durability, PublishMetrics = false, Logger = logger });

    private static PersistedEvent Event(long seq)
    {
        using JsonDocument payload = JsonDocument.Parse($"{{\"seq\":{seq.ToString(CultureInfo.InvariantCulture)},\"filler\":\"{new string('f', 1500)}\"}}");
        return new PersistedEvent("local", new ActorAddress("local", 1), "DiskFull", payload.RootElement, seq);
    }
}
