using Papyra.Actors;

namespace Papyra;

/// <summary>
/// The base class of every actor. An actor processes its messages strictly one at a time, in
/// arrival order, so its fields need no locks. Create actors with
/// <see cref="ActorSystem.Spawn{TActor}(string?, ActorRef?, SupervisionPolicy?, MailboxOptions?)"/>
/// or <see cref="ActorContext.SpawnChild{TActor}(string?, SupervisionPolicy?, MailboxOptions?)"/>,
/// never with <see langword="new"/> directly.
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="OnStartAsync(CancellationToken)"/> runs before the first message;
/// <see cref="ReceiveAsync(object, CancellationToken)"/> runs per message;
/// <see cref="OnStopAsync(CancellationToken)"/> runs when the actor stops and before a restart
/// replaces the instance. A restart creates a fresh instance from the same factory: state resets,
/// while the address, the name and the queued messages stay.</para>
/// <para>Mark a <see langword="partial"/> actor with <see cref="ActorAttribute"/> to have its
/// <see cref="ReceiveAsync(object, CancellationToken)"/> generated from its public handler methods.</para>
/// </remarks>
public abstract class Actor
{
    /// <summary>The sentinel result of <see cref="Unhandled(object)"/>; reference-compared by the runtime.</summary>
    internal static readonly object UnhandledResult = new();

    private ActorCell? _cell;

    /// <summary>
    /// The actor's view of its system: itself, its parent and children, spawning children, watching,
    /// stopping. Available from <see cref="OnStartAsync(CancellationToken)"/> on; not in the constructor.
    /// Use it only on the actor's own turn (not from a continuation that outlives a handler).
    /// </summary>
    /// <exception cref="InvalidOperationException">Accessed before the runtime attached the actor (for example in its constructor).</exception>
    protected ActorContext Context => Cell.Context;

    /// <summary>This actor's own reference. Available from <see cref="OnStartAsync(CancellationToken)"/> on; not in the constructor.</summary>
    /// <exception cref="InvalidOperationException">Accessed before the runtime attached the actor (for example in its constructor).</exception>
    protected ActorRef Self => Cell.Self;

    private ActorCell Cell => _cell ?? throw new InvalidOperationException(
        $"{GetType().Name}.Context and .Self are available from OnStartAsync, ReceiveAsync and OnStopAsync, not in the constructor (the actor is attached to the runtime after it is created).");

    /// <summary>Runs before the first message (and in each fresh instance after a restart). An exception here is a failure handled by supervision.</summary>
    /// <param name="cancellationToken">Signalled when the actor system shuts down.</param>
    /// <returns>A task that completes when the actor is ready.</returns>
    protected virtual ValueTask OnStartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs when the actor stops, and on the old instance before a restart. Exceptions are logged and ignored.</summary>
    /// <param name="cancellationToken">Signalled when the actor system shuts down.</param>
    /// <returns>A task that completes when the actor has cleaned up.</returns>
    protected virtual ValueTask OnStopAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Handles one message: the single entry point of every message the actor receives, called on the
    /// actor's turn, never concurrently with itself.
    /// </summary>
    /// <remarks>
    /// <para><b>Contract.</b> Return the reply: for an ask the value completes the asker's task (return
    /// <see langword="null"/> when there is nothing to say); for a tell the value is ignored. Return
    /// <see cref="Unhandled(object)"/> for a message the actor does not handle: it becomes a dead letter
    /// (reason <see cref="DeadLetterReason.Unhandled"/>) and an ask fails with
    /// <see cref="UnhandledMessageException"/>, without counting as a failure. Throwing (or returning a
    /// faulted task) is a failure: supervision runs, then an asker receives the exception.</para>
    /// <para><b>Performance.</b> Complete synchronously when possible (<c>return new(reply)</c> or
    /// <c>return default</c>): a synchronously completed <see cref="ValueTask{TResult}"/> costs no
    /// allocation, and the actor's next message is processed in the same turn. An asynchronous handler
    /// holds the actor until it completes (messages stay strictly sequential).</para>
    /// <para>The default implementation returns <see cref="Unhandled(object)"/>. The source generator
    /// overrides this method in <see cref="ActorAttribute"/> classes with a type switch.</para>
    /// </remarks>
    /// <param name="message">The message; never <see langword="null"/>. <see cref="Terminated"/> arrives here for watched actors.</param>
    /// <param name="cancellationToken">Signalled when the actor system shuts down.</param>
    /// <returns>The reply for an ask, or <see cref="Unhandled(object)"/>.</returns>
    protected virtual ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => Unhandled(message);

    /// <summary>
    /// Decides about a failed child. Called on this actor's own turn. Return <see langword="null"/>
    /// (the default) to let the child's own <see cref="SupervisionPolicy"/> apply.
    /// An exception thrown here is logged and treated as <see langword="null"/>.
    /// </summary>
    /// <param name="child">The failed child.</param>
    /// <param name="exception">Its exception.</param>
    /// <returns>A decision, or <see langword="null"/> for no opinion.</returns>
    protected virtual SupervisorDecision? OnChildFailure(ActorRef child, Exception exception) => null;

    /// <summary>The result for a message this actor does not handle: it becomes a dead letter, and an ask fails with <see cref="UnhandledMessageException"/>.</summary>
    /// <param name="message">The unhandled message.</param>
    /// <returns>The unhandled-message result; return it from <see cref="ReceiveAsync(object, CancellationToken)"/>.</returns>
    protected ValueTask<object?> Unhandled(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ValueTask<object?>(UnhandledResult);
    }

    // The runtime calls the protected members through these, so overrides stay plain `protected override`.
    internal ValueTask InvokeStartAsync(CancellationToken cancellationToken) => OnStartAsync(cancellationToken);

    internal ValueTask InvokeStopAsync(CancellationToken cancellationToken) => OnStopAsync(cancellationToken);

    internal ValueTask<object?> InvokeReceiveAsync(object message, CancellationToken cancellationToken) => ReceiveAsync(message, cancellationToken);

    internal SupervisorDecision? InvokeChildFailure(ActorRef child, Exception exception) => OnChildFailure(child, exception);

    internal void Attach(ActorCell cell)
    {
        if (_cell is not null)
        {
            throw new InvalidOperationException($"This {GetType().Name} instance already belongs to actor {_cell.Address}: an actor factory must return a new instance on every call.");
        }

        _cell = cell;
    }
}
