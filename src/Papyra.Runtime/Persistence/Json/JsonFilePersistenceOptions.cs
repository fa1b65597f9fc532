using Microsoft.Extensions.Logging;

namespace Papyra.Persistence.Json;

/// <summary>Settings of a <see cref="JsonFilePersistenceBackend"/>.</summary>
public sealed class JsonFilePersistenceOptions
{
    /// <summary>The default <see cref="MaxLineBytes"/>: 64 MiB (the Python original has no line limit; SPEC §5 "Line limits").</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    /// <summary>The default <see cref="MaxNestingDepth"/>: 1,000 levels (the Python original's JSON encoder nests to about that).</summary>
    public const int DefaultMaxNestingDepth = 1000;

    /// <summary>The smallest <see cref="MaxLineBytes"/> a file backend accepts.</summary>
    public const int MinimumMaxLineBytes = 1024;

    /// <summary>The smallest <see cref="MaxNestingDepth"/> a file backend accepts.</summary>
    public const int MinimumMaxNestingDepth = 64;

    /// <summary>The largest <see cref="MaxNestingDepth"/> a file backend accepts.</summary>
    public const int MaximumMaxNestingDepth = 1_000_000;

    /// <summary>The default <see cref="MaxReportedAnomalies"/>.</summary>
    public const int DefaultMaxReportedAnomalies = 1000;

    /// <summary>The NDJSON file. A missing file is an empty store; it is created (with its directory) by the first write.</summary>
    public required string Path { get; init; }

    /// <summary>How durable a completed write is; <see cref="PersistenceDurability.Fsync"/> (group commit) by default.</summary>
    public PersistenceDurability Durability { get; init; } = PersistenceDurability.Fsync;

    /// <summary>The retention policy applied to reads and compaction; <see langword="null"/> keeps everything.</summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary>The clock for age retention, sidecar names and metrics; the system clock by default.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where the backend logs; nothing by default.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The longest line (in bytes, without its newline) that is read; longer lines are reported as corrupted without being buffered, and longer records are refused by writes.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>
    /// The deepest JSON nesting of a line that is read as a record (<see cref="MinimumMaxNestingDepth"/> to <see cref="MaximumMaxNestingDepth"/>); deeper lines are
    /// reported as corrupted (<see cref="Serialization.RecordLineProblem.TooDeep"/>). A scan's memory is
    /// bounded by <see cref="MaxLineBytes"/> whatever the depth.
    /// </summary>
    public int MaxNestingDepth { get; init; } = DefaultMaxNestingDepth;

    /// <summary>How many anomalies a scan report keeps (all are counted in <see cref="PersistenceScanReport.TotalAnomalies"/>).</summary>
    public int MaxReportedAnomalies { get; init; } = DefaultMaxReportedAnomalies;

    /// <summary>Whether a writing backend publishes its metrics to <c>&lt;path&gt;.metrics.json</c> (see <see cref="Metrics.PersistenceMetricsFile"/>); on by default.</summary>
    public bool PublishMetrics { get; init; } = true;

    /// <summary>How often live metrics are published; one second by default.</summary>
    public TimeSpan MetricsPublishInterval { get; init; } = TimeSpan.FromSeconds(1);
}
