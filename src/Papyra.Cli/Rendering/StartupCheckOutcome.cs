using Papyra.Persistence;

namespace Papyra.Cli.Rendering;

/// <summary>What a startup check (<c>doctor run</c>, <c>persistence startup-check</c>) concluded.</summary>
internal enum StartupCheckOutcome
{
    /// <summary>The store is clean (or the backend cannot scan).</summary>
    Healthy,

    /// <summary>Anomalies were found and the mode is <c>ignore</c>.</summary>
    AnomaliesIgnored,

    /// <summary>Anomalies were found and the mode is <c>fail_on_anomaly</c>.</summary>
    AnomaliesFound,

    /// <summary>Anomalies were found, recovered, and the verification scan is clean.</summary>
    Recovered,

    /// <summary>Anomalies were found and are still there after recovery (or the backend cannot recover).</summary>
    RecoveryIncomplete,
}

/// <summary>Derives the outcome from the library's startup report.</summary>
internal static class StartupCheckOutcomes
{
    public static StartupCheckOutcome Of(PersistenceStartupReport report)
    {
        if (report.Scan is not { HasAnomalies: true })
        {
            return StartupCheckOutcome.Healthy;
        }

        return report.Mode switch
        {
            PersistenceStartupMode.Ignore => StartupCheckOutcome.AnomaliesIgnored,
            PersistenceStartupMode.FailOnAnomaly => StartupCheckOutcome.AnomaliesFound,
            _ => report.Recovery is { IsClean: true } ? StartupCheckOutcome.Recovered : StartupCheckOutcome.RecoveryIncomplete,
        };
    }

    public static string ToName(StartupCheckOutcome outcome) => outcome switch
    {
        StartupCheckOutcome.Healthy => "healthy",
        StartupCheckOutcome.AnomaliesIgnored => "anomalies_ignored",
        StartupCheckOutcome.AnomaliesFound => "anomalies_found",
        StartupCheckOutcome.Recovered => "recovered",
        _ => "recovery_incomplete",
    };
}
