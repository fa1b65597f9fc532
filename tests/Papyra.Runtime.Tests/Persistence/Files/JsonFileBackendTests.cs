using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Runtime.Tests.Persistence.Files;

public sealed class JsonFileBackendTests : IDisposable
{
    private static readonly string Valid = "{\"kind\":\"event\",\"timestamp\":1}";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Scan_reports_blank_nul_invalid_utf8_and_bom_lines_as_corrupted_with_line_and_offset()
    {
        byte[] bytes =
        [
            .. "\uFEFF"u8, .. Encoding.UTF8.GetBytes(Valid), (byte)'\n',
            .. "   \n"u8,
            .. "{\"kind\":\"event\",\"timestamp\":1,\"p\":\"\0\"}\n"u8,
            .. "{\"kind\":\"event\",\"timestamp\":1,\"p\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8,
            .. Encoding.UTF8.GetBytes(Valid), (byte)'\n',
        ];
        _store.Write(bytes);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceScanReport report = await backend.ScanAsync();

        Assert.Equal(
            [(1L, 0L), (2L, 34L), (3L, 38L), (4L, 77L)],
            report.Anomalies.Select(a => (a.Line!.Value, a.Offset!.Value)));
        Assert.All(report.Anomalies, a => Assert.Equal(PersistenceAnomalyType.CorruptedLine, a.Type));
        Assert.Equal(1, report.RecordsScanned);
        Assert.Equal(bytes.Length, report.BytesScanned);
        Assert.Contains("byte order mark", report.Anomalies[0].Detail, StringComparison.Ordinal);
        Assert.Contains("NUL", report.Anomalies[2].Detail, StringComparison.Ordinal);
        Assert.Contains("UTF-8", report.Anomalies[3].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_after_more_than_a_read_buffer_of_ascii_lines_is_still_found()
    {
        // The scanner learns that a whole buffer is ASCII with one search; the line after a refill
        // must not be judged by what the previous buffer held.
        const int AsciiLines = 80_000;
        var bytes = new List<byte>();
        for (int i = 0; i < AsciiLines; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(Valid));
            bytes.Add((byte)'\n');
        }

        bytes.AddRange("{\"kind\":\"event\",\"timestamp\":1,\"p\":\""u8.ToArray());
        bytes.AddRange([0xC3, 0x28]);
        bytes.AddRange("\"}\n"u8.ToArray());
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"timestamp\":2,\"p\":\"caf\u00e9\"}\n"));
        Assert.True(bytes.Count > 2 * 1024 * 1024, "the file spans more than one read buffer");
        _store.Write([.. bytes]);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceScanReport report = await backend.ScanAsync();

        PersistenceAnomaly anomaly = Assert.Single(report.Anomalies);
        Assert.Equal(AsciiLines + 1, anomaly.Line);
        Assert.Contains("UTF-8", anomaly.Detail, StringComparison.Ordinal);
        Assert.Equal(AsciiLines + 1, report.RecordsScanned);
    }

    [Fact]
    public async Task Over_long_line_is_corrupted_and_the_scan_continues_after_it()
    {
        string huge = "{\"kind\":\"event\",\"timestamp\":1,\"p\":\"" + new string('x', 10_000) + "\"}";
        _store.Write($"{Valid}\n{huge}\n{Valid}\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, MaxLineBytes = 4096 });

        PersistenceScanReport report = await backend.ScanAsync();

        PersistenceAnomaly anomaly = Assert.Single(report.Anomalies);
        Assert.Equal((PersistenceAnomalyType.CorruptedLine, 2L, (long)Valid.Length + 1), (anomaly.Type, anomaly.Line!.Value, anomaly.Offset!.Value));
        Assert.Contains("longer than the 4096-byte limit", anomaly.Detail, StringComparison.Ordinal);
        Assert.Equal(2, report.RecordsScanned);
    }

    [Fact]
    public async Task Repair_copies_an_over_long_line_raw_into_the_sidecar()
    {
        string huge = "{\"p\":\"" + new string('é', 5_000) + "\"}";
        _store.Write($"{Valid}\n{huge}\n{Valid}\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, MaxLineBytes = 4096 });

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.True(report.IsClean);
        Assert.Equal($"{Valid}\n{Valid}\n", _store.Read());
        Assert.Equal(huge + "\n", File.ReadAllText(Assert.Single(report.RejectedFiles)));
    }

    [Fact]
    public async Task Scan_keeps_the_first_anomalies_and_counts_all_of_them()
    {
        _store.Write(string.Concat(Enumerable.Repeat("garbage\n", 100)) + Valid + "\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, MaxReportedAnomalies = 10 });

        PersistenceScanReport report = await backend.ScanAsync();

        Assert.Equal(10, report.Anomalies.Count);
        Assert.Equal(100, report.TotalAnomalies);
        Assert.Equal(100, backend.GetMetricsSnapshot().AnomaliesDetected);
    }

    [Fact]
    public async Task Directory_path_fails_reads_and_scans_with_an_io_error_naming_the_path()
    {
        await using var backend = new JsonFilePersistenceBackend(_store.Directory);

        IOException scan = await Assert.ThrowsAsync<IOException>(async () => await backend.ScanAsync());
        IOException read = await Assert.ThrowsAsync<IOException>(async () => await backend.ReadEventsAsync());

        Assert.Equal($"The store path '{_store.Directory}' is a directory, not a file.", scan.Message);
        Assert.Equal(scan.Message, read.Message);
        Assert.Equal(1, backend.GetMetricsSnapshot().ScanErrors);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_a_clear_message()
    {
        Assert.Contains("Path is empty", Assert.Throws<ArgumentException>(() => new JsonFilePersistenceBackend(" ")).Message, StringComparison.Ordinal);
        Assert.Contains("MaxLineBytes 10", Assert.Throws<ArgumentOutOfRangeException>(() => new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, MaxLineBytes = 10 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Durability = (PersistenceDurability)9 }));
    }

    [Fact]
    public async Task Fsync_writes_in_flight_together_are_each_counted_once_when_their_batch_is_durable()
    {
        const int Writes = 2_000;
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Durability = PersistenceDurability.Fsync, PublishMetrics = false });

        Task[] writes = [.. Enumerable.Range(0, Writes).Select(i => backend.RecordEventAsync(new PersistedEvent("local", new ActorAddress("local", 1 + i), "ActorStarted", null, 1_700_000_000 + i)).AsTask())];
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));

        var metrics = backend.GetMetricsSnapshot();
        Assert.Equal(Writes, metrics.RecordsWritten);
        Assert.Equal(new FileInfo(_store.Path).Length, metrics.BytesWritten);
        Assert.Equal(0, metrics.WriteErrors);
    }

    [Fact]
    public async Task A_record_longer_than_the_line_limit_is_refused_and_counted_as_a_write_error()
    {
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, MaxLineBytes = 1024 });
        using JsonDocument payload = JsonDocument.Parse(JsonSerializer.Serialize(new string('x', 2000)));

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(async () => await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", null, "String", payload.RootElement, 1)));

        Assert.Contains("MaxLineBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal((1L, 0L), (backend.GetMetricsSnapshot().WriteErrors, backend.GetMetricsSnapshot().RecordsWritten));
        Assert.False(File.Exists(_store.Path));
    }

    [Theory]
    [InlineData(PersistenceDurability.None)]
    [InlineData(PersistenceDurability.Flush)]
    [InlineData(PersistenceDurability.Fsync)]
    public async Task Every_durability_mode_stores_every_record_and_counts_its_bytes(PersistenceDurability durability)
    {
        await using (var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Durability = durability }))
        {
            await Task.WhenAll(Enumerable.Range(1, 200).Select(i => backend.RecordEventAsync(new PersistedEvent("local", null, "E", null, i)).AsTask()));
            Assert.Equal(200, (await backend.ReadEventsAsync()).Records.Count);
            Assert.Equal(new FileInfo(_store.Path).Length, backend.GetMetricsSnapshot().BytesWritten);
        }

        Assert.Equal(200, File.ReadAllLines(_store.Path).Length);
    }

    [Fact]
    public async Task A_completed_fsync_write_is_in_the_file_before_the_backend_is_disposed()
    {
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        await backend.RecordEventAsync(new PersistedEvent("local", null, "E", null, 1));

        Assert.Equal("{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":null,\"event_type\":\"E\",\"payload\":{},\"timestamp\":1}\n", _store.Read());
    }

    [Fact]
    public async Task Appending_after_a_torn_last_line_terminates_it_so_the_new_record_stays_intact()
    {
        _store.Write(Valid + "\n{\"kind\":\"ev");
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        await backend.RecordEventAsync(new PersistedEvent("local", null, "After", null, 2));

        PersistenceScanReport scan = await backend.ScanAsync();
        Assert.Equal((PersistenceAnomalyType.CorruptedLine, 2L), (Assert.Single(scan.Anomalies).Type, scan.Anomalies[0].Line!.Value));
        Assert.Equal(["", "After"], (await backend.ReadEventsAsync()).Records.Select(e => e.EventType));
    }

    [Fact]
    public async Task Writes_during_compaction_wait_and_land_in_the_compacted_file()
    {
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Retention = new RetentionPolicy(maxRecords: 1000) });
        for (int i = 0; i < 2000; i++)
        {
            await backend.RecordEventAsync(new PersistedEvent("local", null, "Before", null, i));
        }

        // Hold the compaction once it has suspended the writers, so the writes below surely start during it.
        var suspended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        backend.Store.CompactionWritesSuspended = () =>
        {
            suspended.SetResult();
            release.Wait(TimeSpan.FromSeconds(30));
        };
        Task<CompactionReport> compaction = backend.CompactAsync().AsTask();
        await suspended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Task[] writes = [.. Enumerable.Range(0, 50).Select(i => backend.RecordEventAsync(new PersistedEvent("local", null, "During", null, 5000 + i)).AsTask())];
        Assert.DoesNotContain(writes, w => w.IsCompleted);
        Assert.DoesNotContain("During", _store.Read(), StringComparison.Ordinal);

        release.Set();
        CompactionReport report = await compaction;
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2000, report.BeforeRecords);
        Assert.Equal(1000, report.AfterRecords);
        IReadOnlyList<PersistedEvent> events = (await backend.ReadEventsAsync()).Records;
        Assert.Equal(1000, events.Count);
        Assert.Equal(50, events.Count(e => e.EventType == "During"));
        Assert.Equal(50, _store.Read().Split('\n').Count(l => l.Contains("\"During\"", StringComparison.Ordinal)));
        Assert.False((await backend.ScanAsync()).HasAnomalies);
    }

    [Fact]
    public async Task Compaction_applies_age_retention_atomically_and_leaves_no_temp_file()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1000));
        _store.Write("{\"kind\":\"event\",\"timestamp\":100}\n{\"kind\": \"audit\", \"timestamp\": 950}\n{\"kind\":\"event\",\"timestamp\":990,\"x\":\"é\"}\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Retention = new RetentionPolicy(maxAgeSeconds: 60), TimeProvider = clock });

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal("{\"kind\": \"audit\", \"timestamp\": 950}\n{\"kind\":\"event\",\"timestamp\":990,\"x\":\"é\"}\n", _store.Read());
        Assert.Equal((3L, 2L, 33L), (report.BeforeRecords, report.AfterRecords, report.ReclaimedBytes!.Value));
        Assert.Equal(["store.ndjson"], _store.FilesBeside());
    }

    [Fact]
    public async Task Compacting_a_missing_store_creates_nothing()
    {
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal((0L, 0L), (report.BeforeRecords, report.AfterRecords));
        Assert.Empty(_store.FilesBeside());
    }

    [Fact]
    public async Task Quarantine_defaults_to_the_store_directory_and_keeps_the_original_bytes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        _store.Write(Valid + "\ngarbage\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, TimeProvider = clock });

        PersistenceRecoveryReport report = await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Quarantine));

        Assert.Equal(Path.Combine(_store.Directory, "store.ndjson.quarantine.1700000000123"), Assert.Single(report.QuarantinedFiles));
        Assert.Equal(Valid + "\ngarbage\n", File.ReadAllText(report.QuarantinedFiles[0]));
        Assert.Equal(string.Empty, _store.Read());
        Assert.True(report.IsClean);
    }

    [Fact]
    public async Task Repair_sidecar_holds_each_rejected_line_raw_followed_by_a_newline()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(42));
        _store.Write($"\n{Valid}\r\n  \n[1]\n{Valid}\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, TimeProvider = clock });

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(Path.Combine(_store.Directory, "store.ndjson.rejected.42"), Assert.Single(report.RejectedFiles));
        Assert.Equal("\n  \n[1]\n", File.ReadAllText(report.RejectedFiles[0]));
        Assert.Equal($"{Valid}\r\n{Valid}\n", _store.Read());
        Assert.Equal([_store.Path], report.RepairedFiles);
        Assert.Equal(1, backend.GetMetricsSnapshot().Recoveries);
    }

    [Fact]
    public async Task Retention_on_reads_skips_damaged_lines_without_counting_them_as_records()
    {
        _store.Write("{\"kind\":\"event\",\"timestamp\":1}\ngarbage\n{\"kind\":\"event\",\"timestamp\":2}\n{\"kind\":\"audit\",\"timestamp\":3}\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Retention = new RetentionPolicy(maxRecords: 2) });

        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync();

        Assert.Equal([2.0], events.Records.Select(e => e.Timestamp));
        Assert.Equal(1, events.SkippedRecords);
        Assert.Equal(1, backend.GetMetricsSnapshot().ReadErrors);
    }
}
