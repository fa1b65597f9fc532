using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>The actor cell's stopping and watching, from any thread.</summary>
internal sealed partial class ActorCell
{
    public Task RequestStop(string reason, DeadLetterReason queuedReason)
    {
        if (Volatile.Read(ref _finished) == 0)
        {
            PostSystem(new StopMessage(reason, queuedReason));
        }

        return WhenStopped();
    }

    /// <summary>Requests a stop without creating anything to wait on.</summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void PostStop(string reason, DeadLetterReason queuedReason)
    {
        if (Volatile.Read(ref _finished) == 0)
        {
            PostSystem(new StopMessage(reason, queuedReason));
        }
    }

    public Task WhenStopped()
    {
        if (Volatile.Read(ref _finished) != 0)
        {
            return Task.CompletedTask;
        }

        TaskCompletionSource? signal = Volatile.Read(ref _stoppedSignal);
        if (signal is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal = Interlocked.CompareExchange(ref _stoppedSignal, created, null) ?? created;
        }

        if (Volatile.Read(ref _finished) != 0)
        {
            signal.TrySetResult();
        }

        return signal.Task;
    }

    /// <summary>Called on this actor's turn (through its context).</summary>
    public void Watch(ActorCell target)
    {
        if (ReferenceEquals(target, this))
        {
            return;
        }

        if ((State.Watching ??= []).Add(target))
        {
            target.PostSystem(new WatchMessage(this));
        }
    }

    /// <summary>Called on this actor's turn (through its context).</summary>
    public void Unwatch(ActorCell target)
    {
        if (_state?.Watching?.Remove(target) == true)
        {
            target.PostSystem(new UnwatchMessage(this));
        }
    }
}
