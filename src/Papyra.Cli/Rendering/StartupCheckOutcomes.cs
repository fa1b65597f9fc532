using Papyra.Persistence;

namespace Papyra.Cli.Rendering;

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
