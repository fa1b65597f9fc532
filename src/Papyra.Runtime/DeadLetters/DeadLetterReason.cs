namespace Papyra;

/// <summary>Why a message became a dead letter.</summary>
public enum DeadLetterReason
{
    /// <summary>The target actor had stopped (or was stopping) when the message was sent.</summary>
    ActorNotRunning,

    /// <summary>No actor with the target address exists in this system.</summary>
    UnknownActor,

    /// <summary>A bounded mailbox was full and its policy drops new messages.</summary>
    MailboxOverflow,

    /// <summary>The message was still queued when the actor stopped.</summary>
    QueuedAtStop,

    /// <summary>The message was still queued when the actor system shut down.</summary>
    QueuedAtShutdown,

    /// <summary>The actor did not handle the message (<see cref="Actor.Unhandled(object)"/>).</summary>
    Unhandled,
}
