namespace Papyra.Actors;

/// <summary>
/// A message about an actor's life rather than for its handlers: processed before user messages,
/// on the actor's own turn, so lifecycle changes never race with message processing.
/// </summary>
internal abstract class SystemMessage
{
    public SystemMessage? Next;
}

/// <summary>Stop the actor (and its children first).</summary>
internal sealed class StopMessage(string reason, DeadLetterReason queuedReason) : SystemMessage
{
    public string Reason { get; } = reason;

    public DeadLetterReason QueuedReason { get; } = queuedReason;
}

/// <summary>Register <see cref="Watcher"/> to be told when this actor stops.</summary>
internal sealed class WatchMessage(ActorCell watcher) : SystemMessage
{
    public ActorCell Watcher { get; } = watcher;
}

/// <summary>Remove a watch registration.</summary>
internal sealed class UnwatchMessage(ActorCell watcher) : SystemMessage
{
    public ActorCell Watcher { get; } = watcher;
}

/// <summary>A watched actor stopped; delivered to the watcher.</summary>
internal sealed class DeathNotification(ActorCell target) : SystemMessage
{
    public ActorCell Target { get; } = target;
}

/// <summary>A child failed and waits for this actor (its parent) to decide.</summary>
internal sealed class ChildFailedMessage(ActorCell child, Exception error) : SystemMessage
{
    public ActorCell Child { get; } = child;

    public Exception Error { get; } = error;
}

/// <summary>A child finished stopping.</summary>
internal sealed class ChildTerminatedMessage(ActorCell child) : SystemMessage
{
    public ActorCell Child { get; } = child;
}

/// <summary>The supervision outcome for this (failed, suspended) actor.</summary>
internal sealed class DirectiveMessage(SupervisorDecision decision, Exception error) : SystemMessage
{
    public SupervisorDecision Decision { get; } = decision;

    public Exception Error { get; } = error;
}
