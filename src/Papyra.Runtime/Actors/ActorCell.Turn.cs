using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>The actor cell's the turn: system messages first, then user messages, one at a time.</summary>
internal sealed partial class ActorCell
{
    public void Execute()
    {
        if (t_inTurn)
        {
            // A continuation that resumed this actor inline, inside another actor's turn.
            RunTurnGuarded();
            return;
        }

        t_inTurn = true;
        try
        {
            RunTurnGuarded();
            for (int handoffs = 0; handoffs < MaxHandoffs; handoffs++)
            {
                ActorCell? next = t_runNext;
                if (next is null)
                {
                    return;
                }

                t_runNext = null;
                next.RunTurnGuarded();
            }

            // Yield the thread: what is left in the slot goes to the pool like any other work.
            ActorCell? rest = t_runNext;
            if (rest is not null)
            {
                t_runNext = null;
                ThreadPool.UnsafeQueueUserWorkItem(rest, preferLocal: true);
            }
        }
        finally
        {
            t_inTurn = false;
        }
    }

    private void RunTurnGuarded()
    {
        try
        {
            RunTurn();
        }
        catch (Exception ex)
        {
            // The runtime's own bug must not take the process down through the thread pool.
            System.Logger.LogError(ex, "The turn of actor {Address} failed inside the runtime.", Address);
            Interlocked.Exchange(ref _status, 0);
            if (HasPendingWork())
            {
                Schedule();
            }
        }
    }

    private void RunTurn()
    {
        int budget = System.Options.Throughput;
        while (true)
        {
            if (_startPending || Volatile.Read(ref _systemHead) is not null)
            {
                ValueTask pending = ProcessSystemMessagesAsync();
                if (!pending.IsCompletedSuccessfully)
                {
                    _ = ResumeAfterAsync(pending);
                    return;
                }

                continue;
            }

            int lifecycle = _lifecycle;
            if (lifecycle != Running)
            {
                if (lifecycle == Stopped)
                {
                    DrainToDeadLetters(DeadLetterReason.ActorNotRunning);
                }

                break;
            }

            if (budget-- <= 0)
            {
                if (t_runNext is null && ThreadPool.PendingWorkItemCount == 0)
                {
                    // Nothing else waits for this thread: yielding would only queue this actor
                    // again and wake an idle worker to look for work (a wake-up every Throughput
                    // messages, which took CPU from the senders and from this actor under fan-in).
                    budget = System.Options.Throughput - 1;
                }
                else
                {
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    return;
                }
            }

            if (!_mailbox.TryDequeue(out object? message, out object? extra))
            {
                break;
            }

            if (Bounded is not null && !ReferenceEquals(extra, InternalMarker))
            {
                Bounded.OnDequeued();
            }

            if (!Invoke(message!, extra))
            {
                return;
            }
        }

        Interlocked.Exchange(ref _status, 0);
        if (HasPendingWork() && Interlocked.CompareExchange(ref _status, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private bool HasPendingWork()
    {
        if (Volatile.Read(ref _systemHead) is not null)
        {
            return true;
        }

        int lifecycle = Volatile.Read(ref _lifecycle);
        return lifecycle is Running or Stopped && _mailbox.HasItems;
    }

    private async Task ResumeAfterAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            System.Logger.LogError(ex, "Lifecycle processing of actor {Address} failed inside the runtime.", Address);
        }

        Execute();
    }

    /// <returns><see langword="false"/> when the handler went asynchronous and will resume the turn itself.</returns>
    private bool Invoke(object message, object? extra)
    {
        ValueTask<object?> result;
        System.CountMessageProcessed();
        try
        {
            result = _actor!.InvokeReceiveAsync(message, System.ShutdownToken);
        }
        catch (Exception ex)
        {
            HandleFailure(ex, extra as ReplyChannel);
            return true;
        }

        if (result.IsCompletedSuccessfully)
        {
            OnHandled(result.Result, message, extra);
            return true;
        }

        _ = AwaitHandlerAsync(result, message, extra);
        return false;
    }

    private async Task AwaitHandlerAsync(ValueTask<object?> pending, object message, object? extra)
    {
        try
        {
            object? result = await pending.ConfigureAwait(false);
            OnHandled(result, message, extra);
        }
        catch (Exception ex)
        {
            HandleFailure(ex, extra as ReplyChannel);
        }

        Execute();
    }

    private void OnHandled(object? result, object message, object? extra)
    {
        if (ReferenceEquals(result, Actor.UnhandledResult))
        {
            var channel = extra as ReplyChannel;
            System.RecordDeadLetter(Address, message, channel is not null, DeadLetterReason.Unhandled);
            channel?.Fail(new UnhandledMessageException($"The actor {Address} ({ActorTypeName}) does not handle {message.GetType().Name}; the message became a dead letter."));
            return;
        }

        if (extra is ReplyChannel reply)
        {
            reply.Complete(result);
        }
    }
}
