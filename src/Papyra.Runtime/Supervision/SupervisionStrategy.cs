namespace Papyra;

/// <summary>What an actor's own supervision policy does when the actor fails and its parent has no opinion.</summary>
public enum SupervisionStrategy
{
    /// <summary>Stop the actor (and its children). The default for unnamed actors.</summary>
    Stop,

    /// <summary>Replace the actor with a fresh instance at the same address, up to a restart limit. The default for named actors.</summary>
    Restart,

    /// <summary>Stop the actor and hand the failure to its parent, which fails with the same exception.</summary>
    Escalate,

    /// <summary>Keep the actor and its state; the failing message is dropped.</summary>
    Resume,
}
