using Papyra.Actors;

namespace Papyra;

/// <summary>
/// An actor's view of its place in the system. Use it on the actor's own turn only (from
/// <see cref="Actor.OnStartAsync(CancellationToken)"/>, <see cref="Actor.ReceiveAsync(object, CancellationToken)"/>
/// or <see cref="Actor.OnStopAsync(CancellationToken)"/>).
/// </summary>
public sealed class ActorContext
{
    private readonly ActorCell _cell;

    internal ActorContext(ActorCell cell) => _cell = cell;

    /// <summary>The actor's own reference.</summary>
    public ActorRef Self => _cell.Self;

    /// <summary>The actor's parent; <see langword="null"/> for a root actor.</summary>
    public ActorRef? Parent => _cell.Parent?.Self;

    /// <summary>The actor's registered name, if any.</summary>
    public string? Name => _cell.Name;

    /// <summary>The system the actor belongs to.</summary>
    public ActorSystem System => _cell.System;

    /// <summary>The actor's children that have not finished stopping, in spawn order.</summary>
    public IReadOnlyList<ActorRef> Children
    {
        get
        {
            List<ActorCell> cells;
            lock (_cell.System.RegistryLock)
            {
                cells = _cell.ChildrenSnapshotLocked();
            }

            return cells.ConvertAll(static c => c.Self);
        }
    }

    /// <summary>Spawns a child of this actor.</summary>
    /// <typeparam name="TActor">The actor class.</typeparam>
    /// <param name="name">An optional unique name.</param>
    /// <param name="policy">The child's supervision policy; by default Restart for a named child, Stop for an unnamed one.</param>
    /// <param name="mailbox">The child's mailbox; unbounded by default.</param>
    /// <returns>The child's reference.</returns>
    public ActorRef SpawnChild<TActor>(string? name = null, SupervisionPolicy? policy = null, MailboxOptions? mailbox = null)
        where TActor : Actor, new()
        => _cell.System.Spawn<TActor>(name, _cell.Self, policy, mailbox);

    /// <summary>Spawns a child of this actor from a factory (called again on every restart).</summary>
    /// <param name="factory">Creates a new actor instance on every call.</param>
    /// <param name="name">An optional unique name.</param>
    /// <param name="policy">The child's supervision policy; by default Restart for a named child, Stop for an unnamed one.</param>
    /// <param name="mailbox">The child's mailbox; unbounded by default.</param>
    /// <returns>The child's reference.</returns>
    public ActorRef SpawnChild(Func<Actor> factory, string? name = null, SupervisionPolicy? policy = null, MailboxOptions? mailbox = null)
        => _cell.System.Spawn(factory, name, _cell.Self, policy, mailbox);

    /// <summary>Asks to be told, with exactly one <see cref="Terminated"/> message, when <paramref name="target"/> stops (at once if it already has).</summary>
    /// <param name="target">The actor to watch.</param>
    public void Watch(ActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _cell.Watch(target.Cell);
    }

    /// <summary>Cancels a <see cref="Watch(ActorRef)"/>; no <see cref="Terminated"/> for it arrives afterwards.</summary>
    /// <param name="target">The watched actor.</param>
    public void Unwatch(ActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _cell.Unwatch(target.Cell);
    }

    /// <summary>Requests that <paramref name="target"/> stop (children first); does not wait.</summary>
    /// <param name="target">The actor to stop.</param>
    public void Stop(ActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Cell.PostStop("stopped", DeadLetterReason.QueuedAtStop);
    }

    /// <summary>Requests that this actor stop after the current message; messages still queued become dead letters.</summary>
    public void StopSelf() => _cell.PostStop("stopped", DeadLetterReason.QueuedAtStop);
}
