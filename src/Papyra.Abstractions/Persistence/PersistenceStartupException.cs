namespace Papyra.Persistence;

/// <summary>The persistence startup check refused to let an actor system start.</summary>
public sealed class PersistenceStartupException : Exception
{
    /// <summary>Creates the exception from the check's report.</summary>
    /// <param name="report">The startup report.</param>
    public PersistenceStartupException(PersistenceStartupReport report)
        : base(Describe(report))
    {
        Report = report;
    }

    /// <summary>The startup report: the scan, and the recovery when one ran.</summary>
    public PersistenceStartupReport Report { get; }

    private static string Describe(PersistenceStartupReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        PersistenceScanReport? remaining = report.Recovery?.Verification ?? report.Scan;
        long count = remaining?.TotalAnomalies ?? 0;
        string where = remaining?.Path is { } path ? $" in '{path}'" : string.Empty;
        string types = remaining is null
            ? string.Empty
            : string.Join(", ", remaining.Anomalies.Select(a => a.Type.ToString()).Distinct());
        return report.Recovery is null
            ? $"Persistence startup check failed: {count} anomalies found{where} ({types}) and the startup mode is {report.Mode}."
            : $"Persistence startup check failed: {count} anomalies remain{where} after {report.Recovery.Mode} recovery ({types}).";
    }
}
