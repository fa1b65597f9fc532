namespace Papyra.Hosting;

/// <summary>Where the hosted actor system is in its lifecycle, as reported by the health endpoint.</summary>
public enum PapyraSystemState
{
    /// <summary>The host has not started the system yet.</summary>
    NotStarted = 0,

    /// <summary>The startup check and the system start are running.</summary>
    Starting = 1,

    /// <summary>The system started and accepts work.</summary>
    Running = 2,

    /// <summary>The startup check refused to start the system, or the start failed.</summary>
    Failed = 3,

    /// <summary>The host is stopping or has stopped the system.</summary>
    Stopped = 4,
}
