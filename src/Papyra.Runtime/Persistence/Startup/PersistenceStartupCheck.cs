using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Papyra.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Papyra.Persistence.Startup;

/// <summary>
/// The check an actor system (and <c>papyra persistence startup-check</c>) runs before any actor:
/// scan, then per <see cref="PersistenceStartupMode"/> ignore, fail, or recover and require a
/// clean verification scan.
/// </summary>
public static class PersistenceStartupCheck
{
    /// <summary>Runs the check. It never throws for damaged data; the report says whether startup may proceed.</summary>
    /// <param name="backend">The store to check.</param>
    /// <param name="config">The startup mode and recovery configuration.</param>
    /// <param name="logger">Where to log what was found; none by default.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The startup report; <see cref="PersistenceStartupReport.Passed"/> says whether the system may start.</returns>
    public static async ValueTask<PersistenceStartupReport> RunAsync(
        IPersistenceBackend backend,
        PersistenceStartupConfig config,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(config);
        logger ??= NullLogger.Instance;
        using Activity? activity = PersistenceActivities.StartStartupCheck(backend.Name, config.Mode);
        PersistenceStartupReport report = await RunCoreAsync(backend, config, logger, cancellationToken).ConfigureAwait(false);
        activity?.SetTag(PersistenceActivities.AnomaliesTag, report.Scan?.TotalAnomalies ?? 0);
        if (activity is not null && !report.Passed)
        {
            activity.SetStatus(ActivityStatusCode.Error, "persistence startup check failed");
        }

        return report;
    }

    private static async ValueTask<PersistenceStartupReport> RunCoreAsync(IPersistenceBackend backend, PersistenceStartupConfig config, ILogger logger, CancellationToken cancellationToken)
    {

        if (backend is not IPersistenceScanner scanner)
        {
            logger.LogDebug("Persistence backend {Backend} cannot scan; startup check skipped.", backend.Name);
            return new PersistenceStartupReport(config.Mode, null, null, Passed: true);
        }

        PersistenceScanReport scan = await scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
        if (!scan.HasAnomalies)
        {
            return new PersistenceStartupReport(config.Mode, scan, null, Passed: true);
        }

        switch (config.Mode)
        {
            case PersistenceStartupMode.Ignore:
                logger.LogWarning(
                    "Persistence startup check found {Count} anomalies in {Backend} store {Path} ({Types}); starting anyway because the startup mode is Ignore.",
                    scan.TotalAnomalies, backend.Name, scan.Path, DescribeTypes(scan));
                return new PersistenceStartupReport(config.Mode, scan, null, Passed: true);

            case PersistenceStartupMode.FailOnAnomaly:
                logger.LogError(
                    "Persistence startup check found {Count} anomalies in {Backend} store {Path} ({Types}); refusing to start because the startup mode is FailOnAnomaly.",
                    scan.TotalAnomalies, backend.Name, scan.Path, DescribeTypes(scan));
                return new PersistenceStartupReport(config.Mode, scan, null, Passed: false);

            case PersistenceStartupMode.Recover:
                if (backend is not IPersistenceRecoverer recoverer)
                {
                    logger.LogError("Persistence backend {Backend} found anomalies but cannot recover; refusing to start.", backend.Name);
                    return new PersistenceStartupReport(config.Mode, scan, null, Passed: false);
                }

                PersistenceRecoveryReport recovery = await recoverer.RecoverAsync(config.EffectiveRecovery, cancellationToken).ConfigureAwait(false);
                if (recovery.IsClean)
                {
                    logger.LogWarning(
                        "Persistence startup check recovered {Backend} store {Path} with {Mode}: {Count} anomalies fixed, verification clean.",
                        backend.Name, scan.Path, recovery.Mode, scan.TotalAnomalies);
                }
                else
                {
                    logger.LogError(
                        "Persistence startup check could not make {Backend} store {Path} clean with {Mode}: {Count} anomalies remain ({Types}).",
                        backend.Name, scan.Path, recovery.Mode, recovery.Verification.TotalAnomalies, DescribeTypes(recovery.Verification));
                }

                return new PersistenceStartupReport(config.Mode, scan, recovery, recovery.IsClean);

            default:
                throw new ArgumentOutOfRangeException(nameof(config), config.Mode, $"Unknown persistence startup mode {config.Mode}.");
        }
    }

    private static string DescribeTypes(PersistenceScanReport report)
        => string.Join(", ", report.Anomalies.GroupBy(a => a.Type).Select(g => $"{g.Key} x{g.Count()}"));
}
