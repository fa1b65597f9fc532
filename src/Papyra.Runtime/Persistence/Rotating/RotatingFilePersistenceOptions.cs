using Microsoft.Extensions.Logging;
using Papyra.Persistence.Json;

namespace Papyra.Persistence.Rotating;

/// <summary>Settings of a <see cref="RotatingFilePersistenceBackend"/>.</summary>
public sealed class RotatingFilePersistenceOptions
{
    /// <summary>The default <see cref="MaxBytes"/>: 50,000,000 bytes, as upstream.</summary>
    public const long DefaultMaxBytes = 50_000_000;

    /// <summary>The default <see cref="MaxFiles"/>: 5, as upstream.</summary>
    public const int DefaultMaxFiles = 5;

    /// <summary>The active file. Rotated files are <c>&lt;path&gt;.1</c> (newest) … <c>&lt;path&gt;.&lt;MaxFiles-1&gt;</c> (oldest).</summary>
    public required string Path { get; init; }

    /// <summary>The size (bytes) an active file may reach before the next record rotates it (<c>max_bytes</c>); 1 or greater.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>How many files the set holds, the active one included (<c>max_files</c>); 1 or greater. When the set is full the oldest file is deleted.</summary>
    public int MaxFiles { get; init; } = DefaultMaxFiles;

    /// <summary>How durable a completed write is; <see cref="PersistenceDurability.Fsync"/> (group commit) by default.</summary>
    public PersistenceDurability Durability { get; init; } = PersistenceDurability.Fsync;

    /// <summary>The retention policy applied to reads and compaction; <see langword="null"/> keeps everything.</summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary>The clock for age retention, sidecar names and metrics; the system clock by default.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where the backend logs (rotations that drop records are logged as warnings); nothing by default.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The longest line (bytes, without its newline) that is read or written.</summary>
    public int MaxLineBytes { get; init; } = JsonFilePersistenceOptions.DefaultMaxLineBytes;

    /// <summary>The deepest JSON nesting of a line that is read as a record (64 to 1,000,000); see <see cref="JsonFilePersistenceOptions.MaxNestingDepth"/>.</summary>
    public int MaxNestingDepth { get; init; } = JsonFilePersistenceOptions.DefaultMaxNestingDepth;

    /// <summary>How many anomalies a scan report keeps (all are counted).</summary>
    public int MaxReportedAnomalies { get; init; } = JsonFilePersistenceOptions.DefaultMaxReportedAnomalies;

    /// <summary>Whether a writing backend publishes its metrics to <c>&lt;path&gt;.metrics.json</c>; on by default.</summary>
    public bool PublishMetrics { get; init; } = true;

    /// <summary>How often live metrics are published; one second by default.</summary>
    public TimeSpan MetricsPublishInterval { get; init; } = TimeSpan.FromSeconds(1);
}
