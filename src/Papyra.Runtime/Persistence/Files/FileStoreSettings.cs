using Microsoft.Extensions.Logging;
using Papyra.Persistence.Json;

namespace Papyra.Persistence.Files;

/// <summary>The validated settings shared by the file backends.</summary>
internal sealed record FileStoreSettings(
    string BackendName,
    string Path,
    PersistenceDurability Durability,
    RetentionPolicy Retention,
    TimeProvider TimeProvider,
    ILogger Logger,
    int MaxLineBytes,
    int MaxNestingDepth,
    int MaxReportedAnomalies,
    bool PublishMetrics,
    TimeSpan MetricsPublishInterval)
{
    /// <summary>The line limits reads, scans and rewrites apply.</summary>
    public Scanning.LineLimits Limits => new(MaxLineBytes, MaxNestingDepth);

    public static string ValidatePath(string? path, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("A file store needs a path: the option Path is empty.", parameter);
        }

        if (path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid store path '{path}': it contains characters that are not allowed in a path.", parameter);
        }

        return System.IO.Path.GetFullPath(path);
    }

    public static int ValidateMaxLineBytes(int value, string parameter)
        => value < JsonFilePersistenceOptions.MinimumMaxLineBytes
            ? throw new ArgumentOutOfRangeException(parameter, value, $"Invalid MaxLineBytes {value}: it must be at least {JsonFilePersistenceOptions.MinimumMaxLineBytes}.")
            : value;

    public static int ValidateMaxNestingDepth(int value, string parameter)
        => value is < JsonFilePersistenceOptions.MinimumMaxNestingDepth or > JsonFilePersistenceOptions.MaximumMaxNestingDepth
            ? throw new ArgumentOutOfRangeException(parameter, value, $"Invalid MaxNestingDepth {value}: it must be from {JsonFilePersistenceOptions.MinimumMaxNestingDepth} to {JsonFilePersistenceOptions.MaximumMaxNestingDepth}.")
            : value;

    public static int ValidateMaxReportedAnomalies(int value, string parameter)
        => value < 1
            ? throw new ArgumentOutOfRangeException(parameter, value, $"Invalid MaxReportedAnomalies {value}: it must be 1 or greater.")
            : value;
}
