namespace Papyra.Persistence;

/// <summary>Which optional capabilities a persistence backend offers.</summary>
/// <param name="SupportsScan">The backend implements <see cref="IPersistenceScanner"/>.</param>
/// <param name="SupportsRecover">The backend implements <see cref="IPersistenceRecoverer"/>.</param>
/// <param name="SupportsCompact">The backend implements <see cref="IPersistenceCompactor"/>.</param>
/// <param name="SupportsMetrics">The backend implements <see cref="IPersistenceMetrics"/>.</param>
public sealed record PersistenceBackendCapabilities(bool SupportsScan, bool SupportsRecover, bool SupportsCompact, bool SupportsMetrics)
{
    /// <summary>Detects the capabilities of a backend from the interfaces it implements.</summary>
    /// <param name="backend">The backend to inspect.</param>
    /// <returns>The capabilities.</returns>
    public static PersistenceBackendCapabilities Of(IPersistenceBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new PersistenceBackendCapabilities(
            backend is IPersistenceScanner,
            backend is IPersistenceRecoverer,
            backend is IPersistenceCompactor,
            backend is IPersistenceMetrics);
    }
}
