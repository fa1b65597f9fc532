using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Papyra.Hosting;

/// <summary>An ASP.NET Core health check over the hosted system's state and a read-only scan of its store.</summary>
internal sealed class PapyraHealthCheck : IHealthCheck
{
    private readonly PapyraHealthEvaluator _evaluator;

    public PapyraHealthCheck(PapyraHealthEvaluator evaluator) => _evaluator = evaluator;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        PapyraHealthReport report = await _evaluator.EvaluateAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, object> data = new(StringComparer.Ordinal)
        {
            ["system_id"] = report.SystemId,
            ["state"] = report.State.ToString(),
            ["backend"] = report.Backend,
            ["scan_supported"] = report.ScanSupported,
        };
        if (report.Scan is { } scan)
        {
            data["total_anomalies"] = scan.TotalAnomalies;
            if (scan.Path is { } path)
            {
                data["path"] = path;
            }
        }

        if (report.Error is { } error)
        {
            data["error"] = error;
        }

        return report.IsHealthy
            ? HealthCheckResult.Healthy(report.Description, data)
            : new HealthCheckResult(context.Registration.FailureStatus, report.Description, data: data);
    }
}
