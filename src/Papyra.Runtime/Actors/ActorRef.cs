using Papyra.Actors;
using Papyra.Dispatch;

namespace Papyra;

/// <summary>
/// A reference to an actor: the only way to send it messages. Refs stay valid across restarts;
/// after the actor stops, every message sent through its refs becomes a dead letter.
/// Two refs are equal when they have the same address.
/// </summary>
public sealed class ActorRef : IActorRef, IEquatable<ActorRef>
{
    internal ActorRef(ActorCell cell) => Cell = cell;

    /// <inheritdoc/>
    public ActorAddress Address => Cell.Address;

    /// <summary>The actor's registered name, if any.</summary>
    public string? Name => Cell.Name;

    /// <inheritdoc/>
    public bool IsAlive => Cell.IsAlive;

    internal ActorCell Cell { get; }

    /// <summary>
    /// Sends a message without waiting for it to be processed. Never blocks on an unbounded mailbox
    /// and allocates nothing. A message to a stopped or unknown actor, one sent after
    /// <see cref="ActorSystem.DisposeAsync"/> began (see there how those are recorded), or one
    /// dropped by a full mailbox with <see cref="MailboxOverflowPolicy.DropNewest"/>, becomes a dead letter.
    /// With <see cref="MailboxOverflowPolicy.Wait"/> a full mailbox blocks the caller until there is
    /// room (prefer <see cref="TellAsync(object, CancellationToken)"/> there).
    /// </summary>
    /// <param name="message">The message; never <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="MailboxFullException">The mailbox is full and its policy is <see cref="MailboxOverflowPolicy.Fail"/>.</exception>
    public void Tell(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(message, null);
    }

    /// <summary>Sends a message, waiting asynchronously for room when a bounded mailbox with <see cref="MailboxOverflowPolicy.Wait"/> is full.</summary>
    /// <param name="message">The message; never <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait for room.</param>
    /// <returns>A task that completes when the message is queued (or dead-lettered).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="MailboxFullException">The mailbox is full and its policy is <see cref="MailboxOverflowPolicy.Fail"/>.</exception>
    public ValueTask TellAsync(object message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Cell.Bounded is null || Cell.Bounded.Policy != MailboxOverflowPolicy.Wait)
        {
            Cell.Post(message, null);
            return ValueTask.CompletedTask;
        }

        return Cell.PostAsync(message, cancellationToken);
    }

    /// <summary>
    /// Sends a message and waits for the actor's reply (the value its handler returned). Allocates
    /// nothing in steady state. If the handler throws, supervision runs first and then the exception
    /// is re-thrown here. A reply that arrives after the timeout is dropped and counted
    /// (<see cref="ActorSystem.LateReplies"/>).
    /// </summary>
    /// <remarks>
    /// To keep request/response fast, the asker's continuation runs directly on the thread that
    /// completed the reply (usually the actor's, right after its handler returned) unless the
    /// asker has a synchronization context. Code after <c>await</c> should therefore not block;
    /// blocking there holds the replying actor too.
    /// </remarks>
    /// <typeparam name="TReply">The expected reply type.</typeparam>
    /// <param name="message">The message; never <see langword="null"/>.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> uses <see cref="ActorSystemOptions.DefaultAskTimeout"/> (5 s); <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait (the message may still be processed).</param>
    /// <returns>The reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero or negative (other than infinite).</exception>
    /// <exception cref="AskTimeoutException">No reply within the timeout.</exception>
    /// <exception cref="ActorStoppedException">The actor is not running, or the system is shutting down (<see cref="ActorSystem.DisposeAsync"/> began): the message became a dead letter, and the ask fails without waiting for its timeout.</exception>
    /// <exception cref="UnhandledMessageException">The actor does not handle the message.</exception>
    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="TReply"/>.</exception>
    public ValueTask<TReply> AskAsync<TReply>(object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        TimeSpan effective = timeout ?? Cell.System.Options.DefaultAskTimeout;
        if (effective <= TimeSpan.Zero && effective != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), effective, $"An ask timeout must be positive (or infinite), not {effective}.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TReply>(cancellationToken);
        }

        AskSlot<TReply> slot = AskSlot<TReply>.Rent();
        short version = slot.Version;
        slot.Arm(Cell.System, Cell.Address, message, effective, cancellationToken);
        Cell.Post(message, slot);
        return new ValueTask<TReply>(slot, version);
    }

    /// <inheritdoc/>
    public bool Equals(ActorRef? other) => other is not null && Address == other.Address;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ActorRef other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Address.GetHashCode();

    /// <summary>The actor's address, and its name when it has one.</summary>
    /// <returns>For example <c>local:3</c> or <c>local:3 'counter'</c>.</returns>
    public override string ToString() => Cell.ToString();
}
