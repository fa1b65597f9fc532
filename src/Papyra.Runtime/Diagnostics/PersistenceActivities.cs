using System.Diagnostics;
using Papyra.Persistence;

namespace Papyra.Diagnostics;

/// <summary>
/// Starts the persistence spans. Every method returns <see langword="null"/> (and costs nothing
/// more than a check) when no listener samples the source, so backends call them unconditionally.
/// The span and tag names are contract (SPEC §6: monitoring tools filter on them); the methods that
/// start and complete spans are shared by Papyra's own backends and carry <see cref="PapyraInternalAttribute"/>.
/// </summary>
public static class PersistenceActivities
{
    /// <summary>Span name of a scan.</summary>
    public const string ScanName = "papyra.persistence.scan";

    /// <summary>Span name of a recovery.</summary>
    public const string RecoverName = "papyra.persistence.recover";

    /// <summary>Span name of a compaction.</summary>
    public const string CompactName = "papyra.persistence.compact";

    /// <summary>Span name of a batch of writes made durable together (a group commit or a flush).</summary>
    public const string WriteBatchName = "papyra.persistence.write_batch";

    /// <summary>Span name of the startup check an actor system runs before any actor.</summary>
    public const string StartupCheckName = "papyra.persistence.startup_check";

    /// <summary>Tag: the backend identifier.</summary>
    public const string BackendTag = "papyra.persistence.backend";

    /// <summary>Tag: the store's location.</summary>
    public const string PathTag = "papyra.persistence.path";

    /// <summary>Tag: anomalies found.</summary>
    public const string AnomaliesTag = "papyra.persistence.anomalies";

    /// <summary>Tag: records involved (scanned, written in a batch).</summary>
    public const string RecordsTag = "papyra.persistence.records";

    /// <summary>Tag: the recovery mode of a recovery span.</summary>
    public const string RecoveryModeTag = "papyra.persistence.recovery_mode";

    /// <summary>Tag: the startup mode of a startup-check span.</summary>
    public const string StartupModeTag = "papyra.persistence.startup_mode";

    /// <summary>Tag: anomalies left after a recovery.</summary>
    public const string RemainingAnomaliesTag = "papyra.persistence.remaining_anomalies";

    /// <summary>Tag: records removed by a compaction.</summary>
    public const string RemovedRecordsTag = "papyra.persistence.removed_records";

    private static readonly ActivitySource Source = new(PapyraActivitySources.Persistence, typeof(PersistenceActivities).Assembly.GetName().Version?.ToString());

    /// <summary>Starts a scan span.</summary>
    /// <param name="backend">The backend identifier.</param>
    /// <param name="path">The store's location, when it has one.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens.</returns>
    [PapyraInternal]
    public static Activity? StartScan(string backend, string? path) => Start(ScanName, backend, path);

    /// <summary>Starts a recovery span.</summary>
    /// <param name="backend">The backend identifier.</param>
    /// <param name="path">The store's location, when it has one.</param>
    /// <param name="mode">The recovery mode.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens.</returns>
    [PapyraInternal]
    public static Activity? StartRecover(string backend, string? path, PersistenceRecoveryMode mode)
        => Start(RecoverName, backend, path)?.SetTag(RecoveryModeTag, mode.ToString());

    /// <summary>Starts a compaction span.</summary>
    /// <param name="backend">The backend identifier.</param>
    /// <param name="path">The store's location, when it has one.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens.</returns>
    [PapyraInternal]
    public static Activity? StartCompact(string backend, string? path) => Start(CompactName, backend, path);

    /// <summary>Starts a write-batch span; the caller tags it with <see cref="RecordsTag"/> when it knows the count.</summary>
    /// <param name="backend">The backend identifier, when the writer knows it.</param>
    /// <param name="path">The store's location, when it has one.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens.</returns>
    [PapyraInternal]
    public static Activity? StartWriteBatch(string? backend, string? path) => Start(WriteBatchName, backend, path);

    /// <summary>Starts a startup-check span.</summary>
    /// <param name="backend">The backend identifier.</param>
    /// <param name="mode">The startup mode.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens.</returns>
    [PapyraInternal]
    public static Activity? StartStartupCheck(string backend, PersistenceStartupMode mode)
        => Start(StartupCheckName, backend, null)?.SetTag(StartupModeTag, mode.ToString());

    /// <summary>Records a scan's outcome on its span.</summary>
    /// <param name="activity">The span (may be <see langword="null"/>).</param>
    /// <param name="report">The scan report.</param>
    [PapyraInternal]
    public static void Complete(Activity? activity, PersistenceScanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        activity?.SetTag(AnomaliesTag, report.TotalAnomalies).SetTag(RecordsTag, report.RecordsScanned);
    }

    /// <summary>Records a recovery's outcome on its span.</summary>
    /// <param name="activity">The span (may be <see langword="null"/>).</param>
    /// <param name="report">The recovery report.</param>
    [PapyraInternal]
    public static void Complete(Activity? activity, PersistenceRecoveryReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        activity?.SetTag(AnomaliesTag, report.Scan.TotalAnomalies).SetTag(RemainingAnomaliesTag, report.Verification.TotalAnomalies);
        if (activity is not null && !report.IsClean)
        {
            activity.SetStatus(ActivityStatusCode.Error, $"{report.Verification.TotalAnomalies} anomalies remain after recovery");
        }
    }

    /// <summary>Records a compaction's outcome on its span.</summary>
    /// <param name="activity">The span (may be <see langword="null"/>).</param>
    /// <param name="report">The compaction report.</param>
    [PapyraInternal]
    public static void Complete(Activity? activity, CompactionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        activity?.SetTag(RecordsTag, report.AfterRecords).SetTag(RemovedRecordsTag, report.RemovedRecords);
    }

    /// <summary>Marks a span failed with the exception that ended the operation.</summary>
    /// <param name="activity">The span (may be <see langword="null"/>).</param>
    /// <param name="error">The exception.</param>
    [PapyraInternal]
    public static void Fail(Activity? activity, Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        activity?.SetStatus(ActivityStatusCode.Error, $"{error.GetType().Name}: {error.Message}")
            .AddException(error);
    }

    private static Activity? Start(string name, string? backend, string? path)
    {
        Activity? activity = Source.StartActivity(name, ActivityKind.Internal);
        if (activity is not null)
        {
            if (backend is not null)
            {
                activity.SetTag(BackendTag, backend);
            }

            if (path is not null)
            {
                activity.SetTag(PathTag, path);
            }
        }

        return activity;
    }
}
