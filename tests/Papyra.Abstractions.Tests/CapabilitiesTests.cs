using System.Text.Json;
using Papyra.Persistence;

namespace Papyra.Abstractions.Tests;

public sealed class CapabilitiesTests
{
    [Fact]
    public void A_backend_with_only_the_required_contract_has_no_capabilities()
    {
        PersistenceBackendCapabilities capabilities = PersistenceBackendCapabilities.Of(new MinimalBackend());

        Assert.Equal(new PersistenceBackendCapabilities(false, false, false, false), capabilities);
    }

    [Fact]
    public void Each_capability_interface_is_detected()
    {
        PersistenceBackendCapabilities capabilities = PersistenceBackendCapabilities.Of(new ScanAndMetricsBackend());

        Assert.True(capabilities.SupportsScan);
        Assert.False(capabilities.SupportsRecover);
        Assert.False(capabilities.SupportsCompact);
        Assert.True(capabilities.SupportsMetrics);
    }

    [Fact]
    public void Null_backend_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => PersistenceBackendCapabilities.Of(null!));
    }

    private class MinimalBackend : IPersistenceBackend
    {
        public string Name => "minimal";

        public RetentionPolicy Retention => RetentionPolicy.Unlimited;

        public ValueTask DisposeAsync() => default;

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;

        public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new PersistenceReadResult<PersistedAudit>([], 0));

        public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new PersistenceReadResult<PersistedDeadLetter>([], 0));

        public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new PersistenceReadResult<PersistedEvent>([], 0));

        public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => default;

        public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => default;

        public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => default;
    }

    private sealed class ScanAndMetricsBackend : MinimalBackend, IPersistenceScanner, IPersistenceMetrics
    {
        public PersistenceMetricsSnapshot GetMetricsSnapshot() => PersistenceMetricsSnapshot.Zero;

        public void ResetMetrics()
        {
        }

        public ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default)
            => ValueTask.FromResult(PersistenceScanReport.Clean(Name));
    }
}

public sealed class RecordAndReportTests
{
    [Fact]
    public void Records_default_missing_payloads_to_their_documented_shapes()
    {
        var e = new PersistedEvent("local", null, "ActorStarted", null, 1);
        var d = new PersistedDeadLetter("local", null, "String", default(JsonElement), 1);

        Assert.Equal(JsonValueKind.Object, e.Payload.ValueKind);
        Assert.Equal(JsonValueKind.Null, d.Payload.ValueKind);
        Assert.Equal(PersistedRecordKind.Event, e.Kind);
        Assert.Equal(PersistedRecordKind.DeadLetter, d.Kind);
    }

    [Fact]
    public void Payload_stays_valid_after_its_document_is_disposed()
    {
        PersistedEvent e;
        using (JsonDocument document = JsonDocument.Parse("""{"error":"boom"}"""))
        {
            e = new PersistedEvent("local", new ActorAddress("local", 1), "ActorCrashed", document.RootElement, 2);
        }

        Assert.Equal("boom", e.Payload.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_timestamps_are_rejected(double timestamp)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PersistedEvent("local", null, "X", null, timestamp));
    }

    [Theory]
    [InlineData(PersistedRecordKind.Event, "event")]
    [InlineData(PersistedRecordKind.Audit, "audit")]
    [InlineData(PersistedRecordKind.DeadLetter, "dead_letter")]
    public void Kinds_round_trip_through_their_wire_names(PersistedRecordKind kind, string wire)
    {
        Assert.Equal(wire, PersistedRecordKinds.ToWireName(kind));
        Assert.True(PersistedRecordKinds.TryParse(wire, out PersistedRecordKind parsed));
        Assert.Equal(kind, parsed);
    }

    [Theory]
    [InlineData("Event")]
    [InlineData("deadletter")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_kind_names_are_not_parsed(string? wire)
    {
        Assert.False(PersistedRecordKinds.TryParse(wire, out _));
    }

    [Fact]
    public void Scan_report_counts_anomalies_and_reports_damage()
    {
        var anomaly = new PersistenceAnomaly(PersistenceAnomalyType.TruncatedLine, "/x", 3, 120, "Line 3 missing newline");
        var report = new PersistenceScanReport("json", "/x", [anomaly], totalAnomalies: 5);

        Assert.True(report.HasAnomalies);
        Assert.Equal(5, report.TotalAnomalies);
        Assert.False(PersistenceScanReport.Clean("json").HasAnomalies);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PersistenceScanReport("json", "/x", [anomaly, anomaly], totalAnomalies: 1));
    }

    [Fact]
    public void Compaction_report_derives_removed_and_reclaimed()
    {
        var report = new CompactionReport("json", 10, 4, 1000, 400);

        Assert.Equal(6, report.RemovedRecords);
        Assert.Equal(600, report.ReclaimedBytes);
        Assert.Null(new CompactionReport("memory", 1, 1).ReclaimedBytes);
    }

    [Fact]
    public void Query_rejects_a_limit_below_one_naming_it()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new PersistenceQuery { Limit = 0 });

        Assert.Contains("Invalid limit 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_exception_names_the_anomalies_and_the_mode()
    {
        var scan = new PersistenceScanReport("json", "/data/events.ndjson", [new PersistenceAnomaly(PersistenceAnomalyType.CorruptedLine, "/data/events.ndjson", 2, 10, null)]);
        var error = new PersistenceStartupException(new PersistenceStartupReport(PersistenceStartupMode.FailOnAnomaly, scan, null, false));

        Assert.Contains("1 anomalies found in '/data/events.ndjson' (CorruptedLine)", error.Message, StringComparison.Ordinal);
        Assert.Contains("FailOnAnomaly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_snapshot_dictionary_uses_every_name_once_in_order()
    {
        var snapshot = new PersistenceMetricsSnapshot { RecordsWritten = 3, RotationDroppedRecords = 9 };

        IReadOnlyDictionary<string, long> values = snapshot.ToDictionary();

        Assert.Equal(PersistenceMetricNames.All, values.Keys);
        Assert.Equal(3, values[PersistenceMetricNames.RecordsWritten]);
        Assert.Equal(9, values[PersistenceMetricNames.RotationDroppedRecords]);
        Assert.Equal(PersistenceMetricNames.All.Count, PersistenceMetricNames.All.Distinct().Count());
    }
}
