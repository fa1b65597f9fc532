using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Reports;

/// <summary>
/// A compaction, one shape for <c>papyra persistence compact --json</c> and <c>POST /papyra/compact</c>.
/// </summary>
/// <param name="Backend">The backend's provider name.</param>
/// <param name="Path">Where the store is (a password in it redacted), or <see langword="null"/>.</param>
/// <param name="BeforeRecords">Records before.</param>
/// <param name="AfterRecords">Records after.</param>
/// <param name="BeforeBytes">Bytes before, when the backend knows.</param>
/// <param name="AfterBytes">Bytes after, when the backend knows.</param>
/// <param name="RemovedRecords">Records retention removed.</param>
/// <param name="RejectedLines">Damaged lines moved out of the store.</param>
/// <param name="RejectedFiles">The sidecars that hold them.</param>
/// <param name="Retention">The policy applied.</param>
[PapyraInternal]
public sealed record CompactionReportJson(
    string Backend,
    string? Path,
    long BeforeRecords,
    long AfterRecords,
    long? BeforeBytes,
    long? AfterBytes,
    long RemovedRecords,
    long RejectedLines,
    IReadOnlyList<string> RejectedFiles,
    RetentionJson Retention)
{
    /// <summary>The report of <paramref name="report"/> under <paramref name="retention"/>.</summary>
    /// <param name="backend">The backend's provider name.</param>
    /// <param name="path">Where the store is; a password in it is redacted.</param>
    /// <param name="retention">The policy applied.</param>
    /// <param name="report">The compaction.</param>
    /// <returns>The report.</returns>
    public static CompactionReportJson From(string backend, string? path, RetentionPolicy retention, CompactionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            backend,
            SecretRedaction.Redact(path),
            report.BeforeRecords,
            report.AfterRecords,
            report.BeforeBytes,
            report.AfterBytes,
            report.RemovedRecords,
            report.RejectedLines,
            report.RejectedFiles,
            RetentionJson.From(retention));
    }
}
