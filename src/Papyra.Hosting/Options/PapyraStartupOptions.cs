using Papyra.Persistence;

namespace Papyra.Hosting;

/// <summary>The persistence startup check bound from <c>Papyra:Startup</c>, run before the application serves.</summary>
public sealed class PapyraStartupOptions
{
    /// <summary>What to do with anomalies found at startup. Default <see cref="PersistenceStartupMode.Ignore"/> (scan, log, start anyway).</summary>
    public PersistenceStartupMode Mode { get; set; } = PersistenceStartupMode.Ignore;

    /// <summary>How <see cref="PersistenceStartupMode.Recover"/> recovers. Default <see cref="PersistenceRecoveryMode.Repair"/>.</summary>
    public PersistenceRecoveryMode RecoveryMode { get; set; } = PersistenceRecoveryMode.Repair;

    /// <summary>Where quarantined files go; <see langword="null"/> means the store's own directory.</summary>
    public string? QuarantineDirectory { get; set; }

    /// <summary>Builds the startup configuration the actor system runs.</summary>
    /// <returns>The startup configuration.</returns>
    public PersistenceStartupConfig ToConfig() => new(Mode, new PersistenceRecoveryConfig(RecoveryMode, QuarantineDirectory));
}
