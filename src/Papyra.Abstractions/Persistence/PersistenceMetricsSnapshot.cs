using Papyra.Metrics;

namespace Papyra.Persistence;

/// <summary>
/// A consistent copy of a backend's counters at one moment. Counters are monotonic until reset.
/// This declaration is the persistence metric schema: the generator emits the properties,
/// <see cref="PersistenceMetricNames"/> and <see cref="PersistenceMetricsInstruments"/> from it.
/// </summary>
[MetricSchema("Papyra.Persistence")]
[Metric("records_written", MetricKind.Counter, "Records written", Unit = "{record}")]
[Metric("bytes_written", MetricKind.Counter, "Bytes written (UTF-8 bytes of stored lines, newline included)", Unit = "By")]
[Metric("write_errors", MetricKind.Counter, "Writes that failed", Unit = "{error}")]
[Metric("records_read", MetricKind.Counter, "Records read", Unit = "{record}")]
[Metric("read_errors", MetricKind.Counter, "Reads that failed or records skipped as unreadable", Unit = "{error}")]
[Metric("scans", MetricKind.Counter, "Scans run", Unit = "{scan}")]
[Metric("scan_errors", MetricKind.Counter, "Scans that failed", Unit = "{error}")]
[Metric("anomalies_detected", MetricKind.Counter, "Anomalies found by scans", Unit = "{anomaly}")]
[Metric("recoveries", MetricKind.Counter, "Recoveries run", Unit = "{recovery}")]
[Metric("recovery_errors", MetricKind.Counter, "Recoveries that failed", Unit = "{error}")]
[Metric("compactions", MetricKind.Counter, "Compactions run", Unit = "{compaction}")]
[Metric("compaction_errors", MetricKind.Counter, "Compactions that failed", Unit = "{error}")]
[Metric("rotations", MetricKind.Counter, "File rotations (rotating backend)", Unit = "{rotation}")]
[Metric("rotation_dropped_records", MetricKind.Counter, "Records dropped because the oldest rotated file was deleted (rotating backend)", Unit = "{record}")]
public sealed partial record PersistenceMetricsSnapshot;
