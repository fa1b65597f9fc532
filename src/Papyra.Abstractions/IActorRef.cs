namespace Papyra;

/// <summary>
/// A handle to an actor. Messages sent through it are processed by the actor one at a time, in the
/// order they were sent by any one sender.
/// </summary>
public interface IActorRef
{
    /// <summary>The address of the actor this reference points to.</summary>
    ActorAddress Address { get; }

    /// <summary>Whether the actor is still running (it may stop at any time after this returns).</summary>
    bool IsAlive { get; }

    /// <summary>
    /// Sends a message without waiting for it to be processed. A message that cannot be delivered
    /// (the actor has stopped, or a bounded mailbox dropped it) becomes a dead letter.
    /// </summary>
    /// <param name="message">The message; never <see langword="null"/>.</param>
    void Tell(object message);

    /// <summary>
    /// Sends a message and waits for the actor's reply. If the actor's handler throws, the exception
    /// is re-thrown here after supervision has run.
    /// </summary>
    /// <typeparam name="TReply">The expected type of the reply.</typeparam>
    /// <param name="message">The message; never <see langword="null"/>.</param>
    /// <param name="timeout">How long to wait for the reply; <see langword="null"/> means the default of 5 seconds.</param>
    /// <param name="cancellationToken">Cancels the wait (the message may still be processed).</param>
    /// <returns>The reply.</returns>
    /// <exception cref="TimeoutException">No reply arrived within <paramref name="timeout"/>.</exception>
    ValueTask<TReply> AskAsync<TReply>(object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
