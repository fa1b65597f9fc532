using System.Globalization;
using Papyra.Actors;
using Papyra.Dispatch;

namespace Papyra.Mailboxes;

/// <summary>
/// The capacity bookkeeping of a bounded mailbox, kept apart from <see cref="MessageQueue"/> so an
/// unbounded mailbox pays nothing for it.
/// </summary>
internal sealed class BoundedMailbox
{
    private readonly SemaphoreSlim? _slots;
    private int _count;
    private volatile bool _closed;

    public BoundedMailbox(int capacity, MailboxOverflowPolicy policy)
    {
        Capacity = capacity;
        Policy = policy;
        if (policy == MailboxOverflowPolicy.Wait)
        {
            _slots = new SemaphoreSlim(capacity, int.MaxValue);
        }
    }

    public int Capacity { get; }

    public MailboxOverflowPolicy Policy { get; }

    /// <summary>Takes a place for a message, waiting synchronously under <see cref="MailboxOverflowPolicy.Wait"/>.</summary>
    /// <returns><see langword="true"/> when the message may be enqueued; otherwise it has been dealt with (dead letter, failed reply) or an exception is thrown.</returns>
    public bool TryEnter(ActorCell cell, object message, ReplyChannel? reply)
    {
        switch (Policy)
        {
            case MailboxOverflowPolicy.Wait:
                if (reply is not null && !_slots!.Wait(0))
                {
                    // An ask never blocks its caller's thread: it waits for room asynchronously.
                    _ = EnterThenPostAsync(cell, message, reply);
                    return false;
                }

                if (reply is null)
                {
                    _slots!.Wait();
                }

                if (_closed)
                {
                    _slots!.Release();
                    cell.Reject(message, reply);
                    return false;
                }

                return true;

            default:
                if (Interlocked.Increment(ref _count) <= Capacity)
                {
                    return true;
                }

                Interlocked.Decrement(ref _count);
                if (Policy == MailboxOverflowPolicy.DropNewest)
                {
                    cell.System.RecordDeadLetter(cell.Address, message, reply is not null, DeadLetterReason.MailboxOverflow);
                    reply?.Fail(new MailboxFullException(Describe(cell)));
                    return false;
                }

                var full = new MailboxFullException(Describe(cell));
                if (reply is null)
                {
                    throw full;
                }

                reply.Fail(full);
                return false;
        }
    }

    /// <summary>Takes a place for a message, waiting asynchronously under <see cref="MailboxOverflowPolicy.Wait"/>.</summary>
    public async ValueTask<bool> EnterAsync(ActorCell cell, object message, CancellationToken cancellationToken)
    {
        if (Policy != MailboxOverflowPolicy.Wait)
        {
            return TryEnter(cell, message, reply: null);
        }

        await _slots!.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_closed)
        {
            _slots.Release();
            cell.Reject(message, reply: null);
            return false;
        }

        return true;
    }

    /// <summary>Gives back the place of a message the actor took out of the queue.</summary>
    public void OnDequeued()
    {
        if (_closed)
        {
            return;
        }

        if (_slots is not null)
        {
            _slots.Release();
        }
        else
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>The actor stopped: wake every waiting sender so its message becomes a dead letter.</summary>
    public void Close()
    {
        _closed = true;
        _slots?.Release(int.MaxValue / 2);
    }

    private static string Describe(ActorCell cell)
        => string.Create(CultureInfo.InvariantCulture, $"The mailbox of {cell.Address} is full ({cell.Bounded!.Capacity} messages).");

    private async Task EnterThenPostAsync(ActorCell cell, object message, ReplyChannel reply)
    {
        try
        {
            await _slots!.WaitAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            reply.Fail(ex);
            return;
        }

        if (_closed)
        {
            _slots.Release();
            cell.Reject(message, reply);
            return;
        }

        cell.EnqueueAndSchedule(message, reply);
    }
}
