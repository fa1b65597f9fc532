namespace Papyra.Hosting;

/// <summary>How the health endpoint and health check scan the store, bound from <c>Papyra:Health</c>.</summary>
public sealed class PapyraHealthOptions
{
    /// <summary>
    /// The shortest time between two scans: probes within it reuse the last scan, so frequent
    /// probes of a large store do not read it over and over. Default zero: every probe scans.
    /// A change of the store (damage, or its repair) shows at most this late.
    /// </summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.Zero;
}
