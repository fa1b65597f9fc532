using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>The actor cell's system messages: watch, stop, restart and failure notices.</summary>
internal sealed partial class ActorCell
{
    /// <summary>Starts the actor if it has not started, then handles the queued system messages; synchronous unless a step goes asynchronous.</summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ValueTask ProcessSystemMessagesAsync()
    {
        if (_startPending)
        {
            _startPending = false;
            ValueTask start = StartInstanceAsync(restarted: false);
            if (!start.IsCompletedSuccessfully)
            {
                return ContinueSystemMessagesAsync(start, rest: null);
            }

            start.GetAwaiter().GetResult();
        }

        while (true)
        {
            SystemMessage? taken = Interlocked.Exchange(ref _systemHead, null);
            if (taken is null)
            {
                return default;
            }

            // The stack holds them newest first; process in arrival order.
            SystemMessage? ordered = null;
            while (taken is not null)
            {
                SystemMessage? next = taken.Next;
                taken.Next = ordered;
                ordered = taken;
                taken = next;
            }

            while (ordered is not null)
            {
                SystemMessage current = ordered;
                ordered = current.Next;
                current.Next = null;
                ValueTask handled = HandleSystemMessageAsync(current);
                if (!handled.IsCompletedSuccessfully)
                {
                    return ContinueSystemMessagesAsync(handled, ordered);
                }

                handled.GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>The asynchronous rest of <see cref="ProcessSystemMessagesAsync"/>: the pending step, the messages already taken, then any newer ones.</summary>
    private async ValueTask ContinueSystemMessagesAsync(ValueTask pending, SystemMessage? rest)
    {
        await pending.ConfigureAwait(false);
        while (rest is not null)
        {
            SystemMessage current = rest;
            rest = current.Next;
            current.Next = null;
            await HandleSystemMessageAsync(current).ConfigureAwait(false);
        }

        await ProcessSystemMessagesAsync().ConfigureAwait(false);
    }

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ValueTask HandleSystemMessageAsync(SystemMessage message)
    {
        switch (message)
        {
            case StopMessage stop:
                return BeginStopAsync(stop.Reason, stop.QueuedReason, reply: null, error: null);

            case WatchMessage watch:
                if (_lifecycle == Stopped)
                {
                    watch.Watcher.PostSystem(new DeathNotification(this));
                }
                else
                {
                    (State.Watchers ??= []).Add(watch.Watcher);
                }

                return ValueTask.CompletedTask;

            case UnwatchMessage unwatch:
                _state?.Watchers?.Remove(unwatch.Watcher);
                return ValueTask.CompletedTask;

            case DeathNotification death:
                if (_lifecycle < Stopping && _state?.Watching?.Remove(death.Target) == true)
                {
                    _mailbox.Enqueue(new Terminated(death.Target.Self), InternalMarker);
                }

                return ValueTask.CompletedTask;

            case ChildFailedMessage failed:
                OnChildFailed(failed.Child, failed.Error);
                return ValueTask.CompletedTask;

            case ChildTerminatedMessage terminated:
                return OnChildTerminatedAsync(terminated.Child);

            case DirectiveMessage directive:
                return ApplyDirectiveAsync(directive.Decision, directive.Error);

            default:
                return ValueTask.CompletedTask;
        }
    }
}
