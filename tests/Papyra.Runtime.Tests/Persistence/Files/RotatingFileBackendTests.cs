using Papyra.Persistence;
using Papyra.Persistence.Rotating;

namespace Papyra.Runtime.Tests.Persistence.Files;

public sealed class RotatingFileBackendTests : IDisposable
{
    private readonly TempStore _store = new("rot.log");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Full_set_drops_the_oldest_file_and_counts_its_records()
    {
        await using var backend = Create(maxBytes: 400, maxFiles: 3);
        for (int i = 1; i <= 40; i++)
        {
            await backend.RecordEventAsync(Event(i));
        }

        PersistenceMetricsSnapshot metrics = backend.GetMetricsSnapshot();
        double[] kept = [.. (await backend.ReadEventsAsync()).Records.Select(e => e.Timestamp)];
        Assert.Equal(["rot.log", "rot.log.1", "rot.log.2"], _store.FilesBeside());
        Assert.All(_store.FilesBeside(), f => Assert.True(new FileInfo(Path.Combine(_store.Directory, f)).Length <= 400));
        Assert.True(metrics.Rotations >= 3, $"rotations = {metrics.Rotations}");
        Assert.Equal(40 - kept.Length, metrics.RotationDroppedRecords);
        Assert.Equal(Enumerable.Range(41 - kept.Length, kept.Length).Select(i => (double)i), kept);
    }

    [Fact]
    public async Task A_single_file_set_truncates_instead_of_rotating()
    {
        await using var backend = Create(maxBytes: 300, maxFiles: 1);
        for (int i = 1; i <= 10; i++)
        {
            await backend.RecordEventAsync(Event(i));
        }

        Assert.Equal(["rot.log"], _store.FilesBeside());
        Assert.Equal(10.0, (await backend.ReadEventsAsync()).Records[^1].Timestamp);
        Assert.True(backend.GetMetricsSnapshot().RotationDroppedRecords > 0);
    }

    [Fact]
    public async Task Reads_span_the_set_oldest_file_first()
    {
        await using var backend = Create(maxBytes: 250, maxFiles: 20);
        for (int i = 1; i <= 12; i++)
        {
            await backend.RecordEventAsync(Event(i));
        }

        Assert.True(_store.FilesBeside().Length > 3);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (double)i), (await backend.ReadEventsAsync()).Records.Select(e => e.Timestamp));
        Assert.Equal([11.0, 12.0], (await backend.ReadEventsAsync(new PersistenceQuery { Limit = 2 })).Records.Select(e => e.Timestamp));
    }

    [Fact]
    public async Task Scan_flags_stray_files_but_not_set_members_or_papyra_side_files()
    {
        await using (var writer = Create(maxBytes: 1000, maxFiles: 3))
        {
            await writer.RecordEventAsync(Event(1));
        }

        // rot.log.7 lies beyond this backend's 3 files but is a member of the set on disk; the temp
        // of a rewrite whose process is gone (pid 2^22 + 1 is above Linux's pid limit) is Papyra's own.
        File.WriteAllText(Path.Combine(_store.Directory, "rot.log.7"), "{\"kind\":\"event\",\"timestamp\":0}\n");
        foreach (string name in new[] { "rot.logx", "rot.log.bak", "rot.log.rewrite.4194305.tmp", "rot.log.2.rejected.4194305.tmp", "rot.log.metrics.json", "rot.log.metrics.reset", "rot.log.rejected.123", "rot.log.2.quarantine.5", "rot.log.bak.quarantine.6", "other.log" })
        {
            File.WriteAllText(Path.Combine(_store.Directory, name), "x");
        }

        await using var backend = Create(maxBytes: 1000, maxFiles: 3);
        PersistenceScanReport report = await backend.ScanAsync();

        Assert.Equal(["rot.log.bak", "rot.logx"], report.Anomalies.Select(a => Path.GetFileName(a.Path)));
        Assert.All(report.Anomalies, a => Assert.Equal(PersistenceAnomalyType.OrphanedRotatedFile, a.Type));
        Assert.Equal([0.0, 1.0], (await backend.ReadEventsAsync()).Records.Select(e => e.Timestamp));
    }

    [Fact]
    public async Task A_set_written_with_more_files_than_configured_is_read_whole_and_recovery_moves_nothing()
    {
        double[] written;
        await using (var writer = Create(maxBytes: 400, maxFiles: 9))
        {
            for (int i = 1; i <= 60; i++)
            {
                await writer.RecordEventAsync(Event(i));
            }

            written = [.. (await writer.ReadEventsAsync()).Records.Select(e => e.Timestamp)];
        }

        string[] files = _store.FilesBeside();
        Assert.Contains("rot.log.8", files);

        // Opened as a tool opens it without settings: the default of 5 files.
        await using var reader = new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });
        Assert.Equal(written, (await reader.ReadEventsAsync()).Records.Select(e => e.Timestamp));
        Assert.False((await reader.ScanAsync()).HasAnomalies);
        PersistenceRecoveryReport repair = await reader.RecoverAsync(PersistenceRecoveryConfig.Repair);
        Assert.True(repair.IsClean);
        Assert.Empty(repair.QuarantinedFiles);
        Assert.Equal(files, _store.FilesBeside());
        Assert.Equal(written.Length, (await reader.CompactAsync()).AfterRecords);
    }

    [Fact]
    public async Task Writing_with_fewer_files_rotates_away_every_file_beyond_the_limit_and_counts_its_records()
    {
        await using (var writer = Create(maxBytes: 400, maxFiles: 9))
        {
            for (int i = 1; i <= 60; i++)
            {
                await writer.RecordEventAsync(Event(i));
            }
        }

        long before;
        await using (var wide = Create(maxBytes: 400, maxFiles: 9))
        {
            before = (await wide.ReadEventsAsync()).Records.Count;
        }

        await using var backend = Create(maxBytes: 400, maxFiles: 3);
        for (int i = 61; i <= 70; i++)
        {
            await backend.RecordEventAsync(Event(i));
        }

        Assert.Equal(["rot.log", "rot.log.1", "rot.log.2"], _store.FilesBeside());
        long kept = (await backend.ReadEventsAsync()).Records.Count;
        Assert.Equal(before + 10 - kept, backend.GetMetricsSnapshot().RotationDroppedRecords);
    }

    [Fact]
    public async Task Repair_of_a_stray_file_ends_clean_and_the_next_scan_stays_clean()
    {
        await using (var writer = Create(maxBytes: 1000, maxFiles: 3))
        {
            await writer.RecordEventAsync(Event(1));
        }

        File.WriteAllText(_store.Path + ".bak", "{\"kind\":\"event\",\"timestamp\":9}\n");
        await using var backend = Create(maxBytes: 1000, maxFiles: 3);

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(PersistenceAnomalyType.OrphanedRotatedFile, Assert.Single(report.Scan.Anomalies).Type);
        Assert.True(report.IsClean, string.Join("; ", report.Verification.Anomalies.Select(a => a.Detail)));
        Assert.StartsWith(_store.Path + ".bak.quarantine.", Assert.Single(report.QuarantinedFiles), StringComparison.Ordinal);
        Assert.False((await backend.ScanAsync()).HasAnomalies);
        Assert.False((await backend.RecoverAsync(PersistenceRecoveryConfig.Repair)).Scan.HasAnomalies);
    }

    [Fact]
    public async Task Compaction_deletes_the_temp_files_a_killed_rewrite_left()
    {
        await using (var writer = Create(maxBytes: 1000, maxFiles: 3))
        {
            await writer.RecordEventAsync(Event(1));
        }

        File.WriteAllText(_store.Path + ".2.rewrite.4194305.tmp", "{\"kind\":\"event\",");
        File.WriteAllText(_store.Path + ".rejected.4194305.tmp", "partial");
        await using var backend = Create(maxBytes: 1000, maxFiles: 3);

        Assert.False((await backend.ScanAsync()).HasAnomalies);
        await backend.CompactAsync();

        Assert.Equal(["rot.log"], _store.FilesBeside());
    }

    [Fact]
    public async Task A_directory_in_a_rotation_slot_is_a_partial_write()
    {
        Directory.CreateDirectory(_store.Path + ".1");
        await using var backend = Create(maxBytes: 1000, maxFiles: 3);

        PersistenceScanReport report = await backend.ScanAsync();

        Assert.Equal((PersistenceAnomalyType.PartialWrite, _store.Path + ".1"), (Assert.Single(report.Anomalies).Type, report.Anomalies[0].Path));
    }

    [Fact]
    public async Task Repair_moves_stray_files_aside_repairs_each_damaged_file_and_verifies_clean()
    {
        File.WriteAllText(_store.Path + ".2", "{\"kind\":\"event\",\"timestamp\":1}\ngarbage\n");
        File.WriteAllText(_store.Path + ".1", "{\"kind\":\"event\",\"timestamp\":2}\n");
        File.WriteAllText(_store.Path, "{\"kind\":\"event\",\"timestamp\":3}\n{\"kind\"");
        File.WriteAllText(_store.Path + ".old", "stray");
        await using var backend = Create(maxBytes: 1000, maxFiles: 3);

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(3, report.Scan.TotalAnomalies);
        Assert.True(report.IsClean);
        Assert.Equal([_store.Path + ".2", _store.Path], report.RepairedFiles);
        Assert.Equal(2, report.RejectedFiles.Count);
        Assert.Equal("stray", File.ReadAllText(Assert.Single(report.QuarantinedFiles)));
        Assert.Equal([1.0, 2.0, 3.0], (await backend.ReadEventsAsync()).Records.Select(e => e.Timestamp));
    }

    [Fact]
    public async Task Compaction_applies_retention_across_the_set_and_deletes_emptied_rotated_files()
    {
        await using (var writer = Create(maxBytes: 250, maxFiles: 20))
        {
            for (int i = 1; i <= 12; i++)
            {
                await writer.RecordEventAsync(Event(i));
            }
        }

        int filesBefore = _store.FilesBeside().Length;
        await using var backend = Create(maxBytes: 250, maxFiles: 20, new RetentionPolicy(maxRecords: 3));

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal((12L, 3L), (report.BeforeRecords, report.AfterRecords));
        Assert.True(_store.FilesBeside().Length < filesBefore);
        Assert.DoesNotContain(_store.FilesBeside(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(report.AfterBytes, _store.FilesBeside().Sum(f => new FileInfo(Path.Combine(_store.Directory, f)).Length));
        await using var unlimited = Create(maxBytes: 250, maxFiles: 20);
        Assert.Equal([10.0, 11.0, 12.0], (await unlimited.ReadEventsAsync()).Records.Select(e => e.Timestamp));
        Assert.False((await unlimited.ScanAsync()).HasAnomalies);
    }

    [Fact]
    public void Limits_below_one_are_rejected_with_a_clear_message()
    {
        Assert.Contains("MaxBytes 0", Assert.Throws<ArgumentOutOfRangeException>(() => Create(maxBytes: 0, maxFiles: 3)).Message, StringComparison.Ordinal);
        Assert.Contains("MaxFiles 0", Assert.Throws<ArgumentOutOfRangeException>(() => Create(maxBytes: 10, maxFiles: 0)).Message, StringComparison.Ordinal);
    }

    private static PersistedEvent Event(double timestamp) => new("local", new ActorAddress("local", 1), "ActorStarted", null, timestamp);

    private RotatingFilePersistenceBackend Create(long maxBytes, int maxFiles, RetentionPolicy? retention = null)
        => new(new RotatingFilePersistenceOptions { Path = _store.Path, MaxBytes = maxBytes, MaxFiles = maxFiles, Retention = retention, PublishMetrics = false });
}
