namespace Papyra.Persistence;

/// <summary>The persistence check an actor system runs when it starts.</summary>
/// <param name="Mode">What to do with anomalies; <see cref="PersistenceStartupMode.Ignore"/> by default.</param>
/// <param name="Recovery">How to recover in <see cref="PersistenceStartupMode.Recover"/> mode; <see langword="null"/> means repair.</param>
public sealed record PersistenceStartupConfig(PersistenceStartupMode Mode = PersistenceStartupMode.Ignore, PersistenceRecoveryConfig? Recovery = null)
{
    /// <summary>The default: scan, log, start anyway.</summary>
    public static PersistenceStartupConfig Default { get; } = new();

    /// <summary>The recovery configuration that <see cref="PersistenceStartupMode.Recover"/> applies.</summary>
    public PersistenceRecoveryConfig EffectiveRecovery => Recovery ?? PersistenceRecoveryConfig.Repair;
}
