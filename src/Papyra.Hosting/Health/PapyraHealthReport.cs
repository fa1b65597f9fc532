using Papyra.Persistence;
using Papyra.Reports;

namespace Papyra.Hosting;

/// <summary>
/// What the health endpoint and <see cref="PapyraHealthChecksBuilderExtensions.AddPapyraHealthCheck"/>
/// found: the hosted system's state and a read-only scan of its store.
/// </summary>
/// <param name="SystemId">The actor system id.</param>
/// <param name="State">The hosted system's lifecycle state.</param>
/// <param name="Backend">The backend identifier (<c>memory</c>, <c>json</c>, …).</param>
/// <param name="Scan">The scan; <see langword="null"/> when the backend cannot scan or the scan failed.</param>
/// <param name="Error">Why the scan failed (<c>Type: message</c>), when it did.</param>
public sealed record PapyraHealthReport(string SystemId, PapyraSystemState State, string Backend, PersistenceScanReport? Scan, string? Error)
{
    /// <summary>Whether the backend can scan its store.</summary>
    public bool ScanSupported => Scan is not null || Error is not null;

    /// <summary>Healthy when the system is running, the scan (if any) succeeded and found no anomaly.</summary>
    public bool IsHealthy => State == PapyraSystemState.Running && Error is null && Scan is not { HasAnomalies: true };

    /// <summary>A one-sentence explanation for humans and health-check descriptions.</summary>
    public string Description => this switch
    {
        { State: not PapyraSystemState.Running } => $"Papyra actor system '{SystemId}' is {State}.",
        { Error: { } error } => $"Scanning the {Backend} store failed: {error}",
        { Scan: { HasAnomalies: true } scan } => $"The {Backend} store has {scan.TotalAnomalies} anomalies ({string.Join(", ", scan.Anomalies.Select(a => a.Type.ToString()).Distinct())}).",
        { Scan: null } => $"Papyra actor system '{SystemId}' is running; the {Backend} store cannot be scanned.",
        _ => $"Papyra actor system '{SystemId}' is running and the {Backend} store is clean.",
    };

    /// <summary>The report form: the scan in the shape <c>papyra persistence scan --json</c> prints.</summary>
    internal HealthReportJson ToJson() => new(
        IsHealthy,
        IsHealthy ? "Healthy" : "Unhealthy",
        SystemId,
        State.ToString(),
        Backend,
        Description,
        Error,
        this switch
        {
            { Scan: { } scan } => ScanReportJson.From(Backend, scan.Path, scan),

            // Not scanned: the scan failed, or the system was not running (its backend may be closed).
            { Error: not null } or { State: PapyraSystemState.NotStarted or PapyraSystemState.Stopped } => null,
            _ => ScanReportJson.From(Backend, null, null),
        });
}
