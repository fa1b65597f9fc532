using System.Text;
using Papyra.Persistence;
using Xunit;

namespace Papyra.Testing;

/// <summary>
/// The conformance kit for backends that store NDJSON lines in files and so can be damaged the way
/// files are: a torn last line, corrupted lines, valid JSON that is not a record. Inherit it,
/// implement <see cref="PersistenceBackendConformanceTests.CreateBackend(BackendTestOptions)"/> and
/// <see cref="ActiveFilePath"/>; every test of the base kit runs too. The backend must implement
/// <see cref="IPersistenceScanner"/> and <see cref="IPersistenceRecoverer"/>.
/// </summary>
public abstract class FileDamageConformanceTests : PersistenceBackendConformanceTests
{
    /// <summary>The file the backend appends new records to (it is damaged by appending raw bytes).</summary>
    protected abstract string ActiveFilePath { get; }

    /// <summary>A minimal valid record line, as the Python original writes one.</summary>
    protected static string MinimalLine(double timestamp) => $"{{\"kind\": \"event\", \"timestamp\": {timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}";

    /// <summary>Writes events through a backend, disposes it, then appends raw bytes to the active file.</summary>
    /// <param name="damage">The raw text appended after the records.</param>
    /// <param name="timestamps">The events written first (seconds after the clock's start).</param>
    /// <returns>The size of the file before the damage was appended.</returns>
    protected async Task<long> WriteThenDamageAsync(string damage, params double[] timestamps)
    {
        await using (IPersistenceBackend backend = CreateBackend())
        {
            await WriteEventsAsync(backend, timestamps);
        }

        long before = File.Exists(ActiveFilePath) ? new FileInfo(ActiveFilePath).Length : 0;
        using (var stream = new FileStream(ActiveFilePath, FileMode.Append, FileAccess.Write))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(damage);
            stream.Write(bytes);
        }

        return before;
    }

    /// <summary>Scans the store with a fresh backend.</summary>
    /// <returns>The report.</returns>
    protected async Task<PersistenceScanReport> ScanAsync()
    {
        await using IPersistenceBackend backend = CreateBackend();
        return await Scanner(backend).ScanAsync();
    }

    /// <summary>A last line without newline is a truncated line, with its line number and byte offset.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Scan_reports_a_truncated_last_line_with_line_and_offset()
    {
        long offset = await WriteThenDamageAsync("{\"kind\":\"eve", 1, 2);

        PersistenceScanReport report = await ScanAsync();

        PersistenceAnomaly anomaly = Assert.Single(report.Anomalies);
        Assert.Equal((PersistenceAnomalyType.TruncatedLine, 3L, offset), (anomaly.Type, anomaly.Line, anomaly.Offset));
        Assert.Equal(ActiveFilePath, anomaly.Path);
    }

    /// <summary>Unparseable lines are corrupted; parseable JSON that is not a record is an invalid record.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Scan_reports_corrupted_lines_and_invalid_records_separately()
    {
        long offset = await WriteThenDamageAsync("not json\n\n[1,2]\n{\"kind\":\"nope\",\"timestamp\":1}\n{\"kind\":\"event\"}\n" + MinimalLine(3) + "\n", 1);

        PersistenceScanReport report = await ScanAsync();

        Assert.Equal(
            [
                (PersistenceAnomalyType.CorruptedLine, 2L),
                (PersistenceAnomalyType.CorruptedLine, 3L),
                (PersistenceAnomalyType.InvalidRecord, 4L),
                (PersistenceAnomalyType.InvalidRecord, 5L),
                (PersistenceAnomalyType.InvalidRecord, 6L),
            ],
            report.Anomalies.Select(a => (a.Type, a.Line!.Value)));
        Assert.Equal(offset, report.Anomalies[0].Offset);
        Assert.Equal(offset + 9, report.Anomalies[1].Offset);
        Assert.Equal(5, report.TotalAnomalies);
    }

    /// <summary>Scanning never changes the store.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Scan_leaves_a_damaged_store_byte_for_byte_unchanged()
    {
        await WriteThenDamageAsync("garbage\n{\"kind\"", 1);
        byte[] before = await File.ReadAllBytesAsync(ActiveFilePath);

        await ScanAsync();

        Assert.Equal(before, await File.ReadAllBytesAsync(ActiveFilePath));
    }

    /// <summary>Reads skip damaged lines, count them, and still return every valid record.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reads_skip_damaged_lines_and_count_them()
    {
        await WriteThenDamageAsync("garbage\n[1]\n" + MinimalLine(Start + 2) + "\n{\"kind\"", 1);
        await using IPersistenceBackend backend = CreateBackend();

        PersistenceReadResult<PersistedEvent> result = await backend.ReadEventsAsync();

        Assert.Equal(new[] { 1.0, 2.0 }, result.Records.Select(e => Math.Round(e.Timestamp - Start, 3)));
        Assert.Equal(3, result.SkippedRecords);
    }

    /// <summary>Repair keeps every valid line byte-for-byte and moves each rejected line, raw, to a sidecar.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Repair_keeps_valid_lines_byte_for_byte_and_moves_rejected_lines_to_a_sidecar()
    {
        await WriteThenDamageAsync("garbage\n" + MinimalLine(Start + 2) + "\n[1]\n{\"kind\":\"ev", 1);
        string[] before = (await File.ReadAllTextAsync(ActiveFilePath)).Split('\n');
        await using IPersistenceBackend backend = CreateBackend();

        PersistenceRecoveryReport report = await Recoverer(backend).RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.True(report.IsClean, "the verification scan is clean after repair");
        Assert.Equal(3, report.Scan.TotalAnomalies);
        Assert.Equal(string.Join('\n', before[0], before[2]) + "\n", await File.ReadAllTextAsync(ActiveFilePath));
        Assert.Equal("garbage\n[1]\n{\"kind\":\"ev\n", await File.ReadAllTextAsync(Assert.Single(report.RejectedFiles)));
        Assert.Matches(@"\.rejected\.[0-9]+$", report.RejectedFiles[0]);
    }

    /// <summary>A complete valid record that only lacks its newline is kept by repair, with the newline added.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Repair_keeps_a_complete_last_record_that_lacks_its_newline()
    {
        await WriteThenDamageAsync(MinimalLine(Start + 2), 1);
        await using IPersistenceBackend backend = CreateBackend();

        PersistenceRecoveryReport report = await Recoverer(backend).RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(PersistenceAnomalyType.TruncatedLine, Assert.Single(report.Scan.Anomalies).Type);
        Assert.True(report.IsClean);
        Assert.Empty(report.RejectedFiles);
        Assert.EndsWith(MinimalLine(Start + 2) + "\n", await File.ReadAllTextAsync(ActiveFilePath), StringComparison.Ordinal);
        Assert.Equal(2, (await backend.ReadEventsAsync()).Records.Count);
    }

    /// <summary>Quarantine moves the damaged file aside with its original bytes and starts a clean store.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Quarantine_moves_the_damaged_file_aside_intact_and_starts_clean()
    {
        await WriteThenDamageAsync("garbage\n", 1);
        byte[] original = await File.ReadAllBytesAsync(ActiveFilePath);
        string quarantineDirectory = Path.Combine(Path.GetDirectoryName(ActiveFilePath)!, "quarantine");
        await using IPersistenceBackend backend = CreateBackend();

        PersistenceRecoveryReport report = await Recoverer(backend).RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Quarantine, quarantineDirectory));

        string quarantined = Assert.Single(report.QuarantinedFiles);
        Assert.Equal(quarantineDirectory, Path.GetDirectoryName(quarantined));
        Assert.Matches(@"\.quarantine\.[0-9]+$", quarantined);
        Assert.Equal(original, await File.ReadAllBytesAsync(quarantined));
        Assert.True(report.IsClean);
        Assert.True(!File.Exists(ActiveFilePath) || new FileInfo(ActiveFilePath).Length == 0, "the store is absent or a fresh empty file");
    }

    /// <summary>Ignore reports only: the store is untouched and the verification still sees the damage.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Ignore_recovery_reports_only_and_changes_nothing()
    {
        await WriteThenDamageAsync("garbage\n", 1);
        byte[] before = await File.ReadAllBytesAsync(ActiveFilePath);
        await using IPersistenceBackend backend = CreateBackend();

        PersistenceRecoveryReport report = await Recoverer(backend).RecoverAsync(PersistenceRecoveryConfig.Ignore);

        Assert.False(report.IsClean);
        Assert.Equal(before, await File.ReadAllBytesAsync(ActiveFilePath));
        Assert.Empty(report.RepairedFiles);
        Assert.Empty(report.QuarantinedFiles);
    }

    /// <summary>Compaction keeps surviving lines byte-for-byte and moves corrupted lines to a sidecar.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Compaction_keeps_survivors_byte_for_byte_and_sets_corrupted_lines_aside()
    {
        await WriteThenDamageAsync("garbage\n" + MinimalLine(Start + 2) + "\n", 1);
        string survivor = MinimalLine(Start + 2) + "\n";
        await using IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxRecords: 1));
        if (backend is not IPersistenceCompactor compactor)
        {
            return;
        }

        CompactionReport report = await compactor.CompactAsync();

        Assert.Equal((2L, 1L), (report.BeforeRecords, report.AfterRecords));
        Assert.Equal(survivor, await File.ReadAllTextAsync(ActiveFilePath));
        string directory = Path.GetDirectoryName(ActiveFilePath)!;
        string sidecar = Assert.Single(Directory.GetFiles(directory, Path.GetFileName(ActiveFilePath) + ".rejected.*"));
        Assert.Equal("garbage\n", await File.ReadAllTextAsync(sidecar));
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
        Assert.False((await Scanner(backend).ScanAsync()).HasAnomalies);
    }

    /// <summary>A store whose file does not exist is empty and healthy, and reading or scanning it creates nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Missing_store_is_empty_and_healthy_and_reading_it_creates_nothing()
    {
        await using IPersistenceBackend backend = CreateBackend();

        PersistenceScanReport scan = await Scanner(backend).ScanAsync();
        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync();

        Assert.False(scan.HasAnomalies);
        Assert.Empty(events.Records);
        Assert.False(File.Exists(ActiveFilePath));
    }

    private static IPersistenceScanner Scanner(IPersistenceBackend backend)
        => backend as IPersistenceScanner ?? throw new InvalidOperationException($"Backend {backend.Name} must implement IPersistenceScanner to run the file damage conformance tests.");

    private static IPersistenceRecoverer Recoverer(IPersistenceBackend backend)
        => backend as IPersistenceRecoverer ?? throw new InvalidOperationException($"Backend {backend.Name} must implement IPersistenceRecoverer to run the file damage conformance tests.");
}
