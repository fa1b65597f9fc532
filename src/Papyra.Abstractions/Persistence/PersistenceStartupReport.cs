namespace Papyra.Persistence;

/// <summary>The outcome of a startup check.</summary>
/// <param name="Mode">The startup mode applied.</param>
/// <param name="Scan">The initial scan; <see langword="null"/> when the backend cannot scan.</param>
/// <param name="Recovery">The recovery, when one ran.</param>
/// <param name="Passed">Whether the system may start.</param>
public sealed record PersistenceStartupReport(PersistenceStartupMode Mode, PersistenceScanReport? Scan, PersistenceRecoveryReport? Recovery, bool Passed);
