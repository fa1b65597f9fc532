using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>The actor cell's lifecycle: start, restart, stop, and the dead letters of what is left in the mailbox.</summary>
internal sealed partial class ActorCell
{
    // The lifecycle steps complete synchronously when the actor's hooks do (the common case): no
    // async state machine runs unless a hook is still pending, and then only from that step on.
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ValueTask StartInstanceAsync(bool restarted)
    {
        if (_lifecycle >= Stopping || _actor is null)
        {
            return default;
        }

        ValueTask start;
        try
        {
            start = _actor.InvokeStartAsync(System.ShutdownToken);
        }
        catch (Exception ex)
        {
            HandleFailure(ex, reply: null);
            return default;
        }

        if (!start.IsCompletedSuccessfully)
        {
            return AwaitStartAsync(start, restarted);
        }

        start.GetAwaiter().GetResult();
        OnStarted(restarted);
        return default;
    }

    private async ValueTask AwaitStartAsync(ValueTask start, bool restarted)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            HandleFailure(ex, reply: null);
            return;
        }

        OnStarted(restarted);
    }

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void OnStarted(bool restarted)
    {
        if (_lifecycle >= Stopping)
        {
            return;
        }

        Volatile.Write(ref _lifecycle, Running);
        System.Emit(restarted
            ? new ActorRestarted(Address, System.Now(), "actor restarted")
            : new ActorStarted(Address, System.Now()));
    }

    /// <summary>The actor (its handler or a lifecycle method) threw: suspend it and ask for a decision.</summary>
    private void HandleFailure(Exception error, ReplyChannel? reply)
    {
        int lifecycle = _lifecycle;
        if (lifecycle >= Stopping || lifecycle == Suspended)
        {
            reply?.Fail(error);
            return;
        }

        Volatile.Write(ref _lifecycle, Suspended);
        State.FailedReply = reply;
        State.FailedError = error;

        if (error is OperationCanceledException && System.IsShuttingDown)
        {
            // Handlers honouring the shutdown token are not crashes.
            PostSystem(new DirectiveMessage(SupervisorDecision.Stop, error));
            return;
        }

        System.Logger.LogWarning(error, "Actor {Address} failed: {Reason}", Address, ActorSystem.DescribeError(error));
        System.ReportFailure(new FailureInfo(Address, error, Policy.Strategy, null));
        System.Emit(new ActorCrashed(Address, System.Now(), error, ActorSystem.DescribeError(error)));

        if (System.IsShuttingDown)
        {
            PostSystem(new DirectiveMessage(SupervisorDecision.Stop, error));
        }
        else if (Parent is not null)
        {
            Parent.PostSystem(new ChildFailedMessage(this, error));
        }
        else
        {
            SupervisorDecision own = DecisionFor(Policy.Strategy);
            PostSystem(new DirectiveMessage(own == SupervisorDecision.Escalate ? SupervisorDecision.Stop : own, error));
        }
    }

    private static SupervisorDecision DecisionFor(SupervisionStrategy strategy) => strategy switch
    {
        SupervisionStrategy.Restart => SupervisorDecision.Restart,
        SupervisionStrategy.Escalate => SupervisorDecision.Escalate,
        SupervisionStrategy.Resume => SupervisorDecision.Resume,
        _ => SupervisorDecision.Stop,
    };

    /// <summary>This actor is the parent of a failed child: decide, on this actor's own turn.</summary>
    private void OnChildFailed(ActorCell child, Exception error)
    {
        if (child.Lifecycle >= Stopping)
        {
            return;
        }

        if (_lifecycle >= Stopping)
        {
            child.PostSystem(new DirectiveMessage(SupervisorDecision.Stop, error));
            return;
        }

        SupervisorDecision? decision = null;
        if (_actor is not null)
        {
            try
            {
                decision = _actor.InvokeChildFailure(child.Self, error);
            }
            catch (Exception ex)
            {
                System.Logger.LogWarning(ex, "OnChildFailure of actor {Address} threw; the child's own policy applies.", Address);
            }
        }

        if (decision is { } given)
        {
            System.ReportFailure(new FailureInfo(child.Address, error, child.Policy.Strategy, given));
        }

        SupervisorDecision effective = decision ?? DecisionFor(child.Policy.Strategy);
        if (effective == SupervisorDecision.Escalate)
        {
            child.PostSystem(new DirectiveMessage(SupervisorDecision.Stop, error));
            HandleFailure(error, reply: null);
        }
        else
        {
            child.PostSystem(new DirectiveMessage(effective, error));
        }
    }

    /// <summary>The supervision decision for this failed actor arrived.</summary>
    private async ValueTask ApplyDirectiveAsync(SupervisorDecision decision, Exception error)
    {
        if (_lifecycle != Suspended)
        {
            return;
        }

        ReplyChannel? reply = State.FailedReply;
        State.FailedReply = null;
        State.FailedError = null;
        switch (decision)
        {
            case SupervisorDecision.Resume:
            case SupervisorDecision.Ignore:
                Volatile.Write(ref _lifecycle, Running);
                reply?.Fail(error);
                break;

            case SupervisorDecision.Restart:
                if (TryRecordRestart())
                {
                    System.CountRestart();
                    await BeginRestartAsync(error, reply).ConfigureAwait(false);
                }
                else
                {
                    System.Logger.LogWarning("Actor {Address} reached its restart limit ({Max} in {Window}); stopping it.", Address, Policy.MaxRestarts, Policy.Within);
                    await BeginStopAsync("restart limit reached", DeadLetterReason.QueuedAtStop, reply, error).ConfigureAwait(false);
                }

                break;

            default:
                await BeginStopAsync(System.IsShuttingDown ? "shutdown" : "failed", System.IsShuttingDown ? DeadLetterReason.QueuedAtShutdown : DeadLetterReason.QueuedAtStop, reply, error).ConfigureAwait(false);
                break;
        }
    }

    private bool TryRecordRestart()
    {
        // The window is measured on the monotonic clock: a wall clock stepped back (NTP, a resumed
        // VM) would keep old restarts inside it and stop an actor for good, one stepped forward
        // would forget them. Wall time is only for the timestamps written to records.
        TimeProvider clock = System.TimeProvider;
        long now = clock.GetTimestamp();
        TimeSpan window = Policy.Within;
        List<long> times = State.RestartTimes ??= [];
        times.RemoveAll(t => clock.GetElapsedTime(t, now) > window);
        if (times.Count >= Policy.MaxRestarts)
        {
            return false;
        }

        times.Add(now);
        return true;
    }

    private async ValueTask BeginRestartAsync(Exception error, ReplyChannel? reply)
    {
        Volatile.Write(ref _lifecycle, Restarting);
        CellState state = State;
        state.PendingReply = reply;
        state.PendingError = error;
        state.Pending = PendingAction.Restart;
        if (!StopChildren("parent restarting", DeadLetterReason.QueuedAtStop))
        {
            await FinishRestartAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask FinishRestartAsync()
    {
        CellState state = State;
        state.Pending = PendingAction.None;
        ReplyChannel? reply = state.PendingReply;
        Exception? error = state.PendingError;
        state.PendingReply = null;
        state.PendingError = null;

        await StopInstanceAsync().ConfigureAwait(false);
        Actor fresh;
        try
        {
            fresh = _factory!() ?? throw new InvalidOperationException("The actor factory returned null.");
            fresh.Attach(this);
        }
        catch (Exception ex)
        {
            System.Logger.LogError(ex, "Actor {Address} could not be re-created for its restart; stopping it.", Address);
            _actor = null;
            await BeginStopAsync("restart failed", DeadLetterReason.QueuedAtStop, reply, error ?? ex).ConfigureAwait(false);
            return;
        }

        _actor = fresh;
        _context = null;
        await StartInstanceAsync(restarted: true).ConfigureAwait(false);
        if (error is not null)
        {
            reply?.Fail(error);
        }
    }

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ValueTask StopInstanceAsync()
    {
        if (_actor is null)
        {
            return default;
        }

        ValueTask stop;
        try
        {
            stop = _actor.InvokeStopAsync(System.ShutdownToken);
        }
        catch (Exception ex)
        {
            System.Logger.LogWarning(ex, "OnStopAsync of actor {Address} threw; ignored.", Address);
            return default;
        }

        if (!stop.IsCompletedSuccessfully)
        {
            return AwaitStopAsync(stop);
        }

        stop.GetAwaiter().GetResult();
        return default;
    }

    private async ValueTask AwaitStopAsync(ValueTask stop)
    {
        try
        {
            await stop.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            System.Logger.LogWarning(ex, "OnStopAsync of actor {Address} threw; ignored.", Address);
        }
    }

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ValueTask BeginStopAsync(string reason, DeadLetterReason queuedReason, ReplyChannel? reply, Exception? error)
    {
        if (_lifecycle >= Stopping)
        {
            if (reply is not null)
            {
                if (_lifecycle == Stopped)
                {
                    reply.Fail(error ?? new ActorStoppedException($"The actor {Address} stopped."));
                }
                else
                {
                    State.ExtraReplies.Add((reply, error));
                }
            }

            return default;
        }

        Volatile.Write(ref _lifecycle, Stopping);
        CellState? state = _state;
        if (reply is not null || state is not null)
        {
            state = State;
            if (reply is not null)
            {
                state.ExtraReplies.Add((reply, error));
            }

            if (state.FailedReply is { } failed)
            {
                state.ExtraReplies.Add((failed, state.FailedError));
                state.FailedReply = null;
                state.FailedError = null;
            }

            if (state.PendingReply is { } pendingReply)
            {
                state.ExtraReplies.Add((pendingReply, state.PendingError));
                state.PendingReply = null;
                state.PendingError = null;
            }
        }

        string childReason = reason == "shutdown" ? "shutdown" : "parent stopped";
        if (StopChildren(childReason, queuedReason))
        {
            state = State;
            state.Pending = PendingAction.Terminate;
            state.StopReason = reason;
            state.QueuedReason = queuedReason;
            return default;
        }

        return FinishStopAsync(reason, queuedReason);
    }

    /// <returns>Whether there were children to wait for.</returns>
    private bool StopChildren(string reason, DeadLetterReason queuedReason)
    {
        if (_state?.Children is null)
        {
            return false;
        }

        List<ActorCell> children;
        lock (System.RegistryLock)
        {
            children = ChildrenSnapshotLocked();
        }

        foreach (ActorCell child in children)
        {
            child.PostStop(reason, queuedReason);
        }

        return children.Count > 0;
    }

    private ValueTask OnChildTerminatedAsync(ActorCell child)
    {
        bool empty;
        lock (System.RegistryLock)
        {
            HashSet<ActorCell>? children = _state?.Children;
            children?.Remove(child);
            empty = children is null || children.Count == 0;
        }

        if (!empty || _state is not { } state)
        {
            return default;
        }

        switch (state.Pending)
        {
            case PendingAction.Restart:
                return FinishRestartAsync();
            case PendingAction.Terminate:
                state.Pending = PendingAction.None;
                return FinishStopAsync(state.StopReason ?? "stopped", state.QueuedReason);
            default:
                return default;
        }
    }

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ValueTask FinishStopAsync(string reason, DeadLetterReason queuedReason)
    {
        ValueTask stop = StopInstanceAsync();
        if (!stop.IsCompletedSuccessfully)
        {
            return CompleteStopAfterAsync(stop, reason, queuedReason);
        }

        stop.GetAwaiter().GetResult();
        CompleteStop(reason, queuedReason);
        return default;
    }

    private async ValueTask CompleteStopAfterAsync(ValueTask stop, string reason, DeadLetterReason queuedReason)
    {
        await stop.ConfigureAwait(false);
        CompleteStop(reason, queuedReason);
    }

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void CompleteStop(string reason, DeadLetterReason queuedReason)
    {
        Volatile.Write(ref _lifecycle, Stopped);
        System.ReleaseName(this);
        Bounded?.Close();
        DrainToDeadLetters(queuedReason);

        CellState? state = _state;
        if (state is not null)
        {
            foreach ((ReplyChannel reply, Exception? error) in state.ExtraReplies)
            {
                reply.Fail(error ?? new ActorStoppedException($"The actor {Address} stopped ({reason})."));
            }

            state.ExtraReplies.Clear();
        }

        System.Emit(new ActorStopped(Address, System.Now(), reason));

        if (state is not null)
        {
            if (state.Watchers is { } watchers)
            {
                foreach (ActorCell watcher in watchers)
                {
                    watcher.PostSystem(new DeathNotification(this));
                }

                watchers.Clear();
            }

            if (state.Watching is { } watching)
            {
                foreach (ActorCell target in watching)
                {
                    target.PostSystem(new UnwatchMessage(this));
                }

                watching.Clear();
            }

            state.RestartTimes = null;
        }

        Parent?.PostSystem(new ChildTerminatedMessage(this));
        _actor = null;
        _context = null;

        // Last: until here a shutdown that lists the registry waits for this cell.
        System.Unregister(this);
        Interlocked.Exchange(ref _finished, 1);
        Volatile.Read(ref _stoppedSignal)?.TrySetResult();
    }

    private void DrainToDeadLetters(DeadLetterReason reason)
    {
        while (_mailbox.TryDequeue(out object? message, out object? extra))
        {
            if (ReferenceEquals(extra, InternalMarker))
            {
                continue;
            }

            var reply = extra as ReplyChannel;
            System.RecordDeadLetter(Address, message!, reply is not null, reason);
            reply?.Fail(new ActorStoppedException($"The actor {Address} stopped before processing the message; it became a dead letter."));
        }
    }
}
