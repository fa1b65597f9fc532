using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>The actor cell's sending: the tell and ask path, scheduling the cell on the thread pool.</summary>
internal sealed partial class ActorCell
{
    /// <summary>Delivers a user message (the tell and ask path).</summary>
    public void Post(object message, ReplyChannel? reply)
    {
        // Once the system is shutting down nothing new is queued: a send is a dead letter at once
        // (an ask fails now) instead of lengthening the mailboxes the shutdown must drain.
        if (Volatile.Read(ref _lifecycle) >= Stopping || System.IsShuttingDown)
        {
            Reject(message, reply);
            return;
        }

        if (Bounded is not null && !Bounded.TryEnter(this, message, reply))
        {
            return;
        }

        EnqueueAndSchedule(message, reply);
    }

    /// <summary>Delivers a user message, waiting asynchronously for room in a bounded mailbox.</summary>
    public async ValueTask PostAsync(object message, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lifecycle) >= Stopping || System.IsShuttingDown)
        {
            Reject(message, reply: null);
            return;
        }

        if (await Bounded!.EnterAsync(this, message, cancellationToken).ConfigureAwait(false))
        {
            EnqueueAndSchedule(message, extra: null);
        }
    }

    public void EnqueueAndSchedule(object message, object? extra)
    {
        _mailbox.Enqueue(message, extra);
        Schedule();
    }

    /// <summary>Turns an undeliverable message into a dead letter and fails its ask.</summary>
    public void Reject(object message, ReplyChannel? reply)
    {
        System.RecordRefusal(Address, message, reply is not null, IsPlaceholder ? DeadLetterReason.UnknownActor : DeadLetterReason.ActorNotRunning);
        if (reply is null)
        {
            return;
        }

        var error = new ActorStoppedException(
            IsPlaceholder ? $"There is no actor {Address} in actor system '{System.SystemId}'; the message became a dead letter."
            : Volatile.Read(ref _lifecycle) < Stopping ? $"Actor system '{System.SystemId}' is shutting down, so {Address} takes no new messages; the message became a dead letter."
            : $"The actor {Address} is not running; the message became a dead letter.");
        if (System.IsShuttingDown && (++t_refusedAsks & (AsksRefusedInline - 1)) == 0)
        {
            // Now and then failed from the thread pool instead of here: an asker's continuation
            // runs inline on the thread that answered its previous ask, often an actor's, and a
            // client that keeps asking would loop there on asks that fail at once, holding that
            // actor's turn so that its stop, and the shutdown, never came. One failure that does
            // not complete at once moves such a loop off the thread; the others stay immediate.
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Reply.Fail(state.Error), (Reply: reply, Error: error), preferLocal: false);
            return;
        }

        reply.Fail(error);
    }

    public void PostSystem(SystemMessage message)
    {
        SystemMessage? head;
        do
        {
            head = Volatile.Read(ref _systemHead);
            message.Next = head;
        }
        while (Interlocked.CompareExchange(ref _systemHead, message, head) != head);

        Schedule();
    }

    public void Schedule()
    {
        if (Volatile.Read(ref _status) == 0 && Interlocked.CompareExchange(ref _status, 1, 0) == 0)
        {
            if (t_inTurn)
            {
                // A message sent from an actor's turn is usually best handled next on the same core
                // (ping-pong, request/response): take the run-next slot.
                ActorCell? displaced = t_runNext;
                t_runNext = this;
                if (displaced is not null)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(displaced, preferLocal: true);
                }
            }
            else
            {
                // Sends from outside actors (a spawn loop, producer threads) go to the global queue,
                // where any idle worker takes them without having to steal.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
    }
}
