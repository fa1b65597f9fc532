namespace Papyra.Persistence;

/// <summary>What an actor system does with its store before any actor runs.</summary>
public enum PersistenceStartupMode
{
    /// <summary>Scan, report anomalies to the logs and hooks, and start anyway. The default.</summary>
    Ignore = 0,

    /// <summary>Scan, and refuse to start when anything is found (<see cref="PersistenceStartupException"/>).</summary>
    FailOnAnomaly = 1,

    /// <summary>Scan, recover what is found, and start only when the verification scan is clean.</summary>
    Recover = 2,
}
