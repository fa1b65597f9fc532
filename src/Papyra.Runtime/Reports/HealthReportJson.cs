namespace Papyra.Reports;

/// <summary>
/// A hosted system's health (<c>/papyra/healthz</c>): the system's state and the scan of its store in
/// the shape <c>papyra persistence scan --json</c> prints.
/// </summary>
/// <param name="Healthy">Whether the system runs and its store is clean.</param>
/// <param name="Status"><c>Healthy</c> or <c>Unhealthy</c> (the health-check status name).</param>
/// <param name="SystemId">The actor system id.</param>
/// <param name="State">The hosted system's lifecycle state.</param>
/// <param name="Backend">The backend's provider name.</param>
/// <param name="Description">One sentence for people.</param>
/// <param name="Error">Why the scan failed, when it did.</param>
/// <param name="Scan">The scan; <see langword="null"/> when the system is not running or the scan failed.</param>
[PapyraInternal]
public sealed record HealthReportJson(
    bool Healthy,
    string Status,
    string SystemId,
    string State,
    string Backend,
    string Description,
    string? Error,
    ScanReportJson? Scan);
