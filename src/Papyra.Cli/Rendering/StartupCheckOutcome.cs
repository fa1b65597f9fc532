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
