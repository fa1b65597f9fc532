namespace Papyra.Hosting.Dashboard;

/// <summary>Takes a <see cref="DashboardSnapshot"/>: from a hosted system, or (in the CLI) from a store and its live metrics.</summary>
internal interface IDashboardSource
{
    /// <summary>Takes a snapshot. Rates are left empty: <see cref="DashboardFeed"/> computes them.</summary>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>The snapshot.</returns>
    ValueTask<DashboardSnapshot> CaptureAsync(CancellationToken cancellationToken);
}
