namespace Papyra;

/// <summary>What a bounded mailbox does with a message that arrives when it is full.</summary>
public enum MailboxOverflowPolicy
{
    /// <summary>The sender waits for room (<see cref="ActorRef.TellAsync(object, CancellationToken)"/> awaits; <see cref="ActorRef.Tell(object)"/> blocks).</summary>
    Wait,

    /// <summary>The new message is dropped and becomes a dead letter.</summary>
    DropNewest,

    /// <summary>The send fails with <see cref="MailboxFullException"/>.</summary>
    Fail,
}
