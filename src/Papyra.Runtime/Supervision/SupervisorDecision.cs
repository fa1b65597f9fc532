namespace Papyra;

/// <summary>A parent's decision about a failed child, returned from <see cref="Actor.OnChildFailure(ActorRef, Exception)"/>.</summary>
public enum SupervisorDecision
{
    /// <summary>Restart the child (subject to the child's restart limit).</summary>
    Restart,

    /// <summary>Stop the child and its descendants.</summary>
    Stop,

    /// <summary>Stop the child and fail the parent itself with the same exception.</summary>
    Escalate,

    /// <summary>Keep the child alive with its state; the failing message is dropped.</summary>
    Resume,

    /// <summary>The same as <see cref="Resume"/>: the child stays alive and the failing message is dropped.</summary>
    Ignore,
}
