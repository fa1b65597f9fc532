using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Dispatch;
using Papyra.Mailboxes;

namespace Papyra.Actors;

/// <summary>
/// The runtime side of one actor: its mailbox, its lifecycle and its supervision state. The cell
/// is its own thread-pool work item: a send that finds it idle queues it once
/// (<see cref="ThreadPool.UnsafeQueueUserWorkItem(IThreadPoolWorkItem, bool)"/>, no allocation) and
/// a turn processes system messages first, then up to <see cref="ActorSystemOptions.Throughput"/>
/// user messages, one at a time.
/// </summary>
internal sealed class ActorCell : IThreadPoolWorkItem
{
    public const int Starting = 0;
    public const int Running = 1;
    public const int Suspended = 2;
    public const int Restarting = 3;
    public const int Stopping = 4;
    public const int Stopped = 5;

    /// <summary>Marks messages the runtime enqueues for the actor itself (a <see cref="Terminated"/>), outside the bounded-capacity accounting.</summary>
    private static readonly object InternalMarker = new();

    /// <summary>Set while a turn runs on this thread: sends from inside an actor's turn are scheduled locally.</summary>
    [ThreadStatic]
    private static bool t_inTurn;

    /// <summary>
    /// The actor a turn on this thread scheduled last: it runs right after the turn, on this thread,
    /// without a trip through the thread pool (a "run next" slot, as in Go's and Tokio's schedulers).
    /// Scheduling another actor pushes the previous occupant to the pool's local queue, where idle
    /// threads can steal it.
    /// </summary>
    [ThreadStatic]
    private static ActorCell? t_runNext;

    /// <summary>Asks refused during shutdown on this thread (see <see cref="Reject"/>).</summary>
    [ThreadStatic]
    private static int t_refusedAsks;

    /// <summary>How many asks refused during shutdown fail inline on one thread for each one failed from the thread pool (a power of two).</summary>
    private const int AsksRefusedInline = 64;

    /// <summary>How many actors one thread-pool work item runs through the run-next slot before yielding the thread.</summary>
    private const int MaxHandoffs = 64;

    private readonly Func<Actor>? _factory;
    private readonly MessageQueue _mailbox = new();
    private Actor? _actor;
    private ActorContext? _context;
    private SystemMessage? _systemHead;
    private CellState? _state;
    private TaskCompletionSource? _stoppedSignal;
    private int _status;
    private int _lifecycle;
    private int _finished;
    private bool _startPending;

    public ActorCell(ActorSystem system, ActorAddress address, ActorCell? parent, string? name, SupervisionPolicy policy, Func<Actor> factory, MailboxOptions? mailbox, Actor actor)
    {
        System = system;
        Address = address;
        Parent = parent;
        Name = name;
        Policy = policy;
        _factory = factory;
        _actor = actor;
        _startPending = true;
        if (mailbox?.Capacity is { } capacity)
        {
            Bounded = new BoundedMailbox(capacity, mailbox.OverflowPolicy);
        }

        Self = new ActorRef(this);
        actor.Attach(this);
    }

    /// <summary>Creates the cell behind a ref to an address no live actor has: every message to it is a dead letter.</summary>
    private ActorCell(ActorSystem system, ActorAddress address)
    {
        System = system;
        Address = address;
        Policy = SupervisionPolicy.Stop;
        IsPlaceholder = true;
        _lifecycle = Stopped;
        _finished = 1;
        Self = new ActorRef(this);
    }

    public ActorSystem System { get; }

    public ActorAddress Address { get; }

    public ActorCell? Parent { get; }

    public string? Name { get; }

    public SupervisionPolicy Policy { get; }

    public ActorRef Self { get; }

    public BoundedMailbox? Bounded { get; }

    public bool IsPlaceholder { get; }

    public ActorContext Context => _context ??= new ActorContext(this);

    public int Lifecycle => Volatile.Read(ref _lifecycle);

    /// <summary>Whether messages are accepted: starting, running, failed-and-waiting or restarting.</summary>
    public bool IsAlive => Volatile.Read(ref _lifecycle) < Stopping;

    public int MailboxDepth => _mailbox.Count;

    public string ActorTypeName => _actor?.GetType().FullName ?? "(stopped)";

    private CellState State
    {
        get
        {
            CellState? state = Volatile.Read(ref _state);
            if (state is not null)
            {
                return state;
            }

            var created = new CellState();
            return Interlocked.CompareExchange(ref _state, created, null) ?? created;
        }
    }

    public static ActorCell CreatePlaceholder(ActorSystem system, ActorAddress address) => new(system, address);

    // ---------------------------------------------------------------- sending

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

    // ---------------------------------------------------------------- stopping and watching (any thread)

    public Task RequestStop(string reason, DeadLetterReason queuedReason)
    {
        if (Volatile.Read(ref _finished) == 0)
        {
            PostSystem(new StopMessage(reason, queuedReason));
        }

        return WhenStopped();
    }

    /// <summary>Requests a stop without creating anything to wait on.</summary>
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

    // ---------------------------------------------------------------- children (guarded by the registry lock)

    public void AddChildLocked(ActorCell child) => (State.Children ??= []).Add(child);

    public List<ActorCell> ChildrenSnapshotLocked()
    {
        HashSet<ActorCell>? children = _state?.Children;
        if (children is null || children.Count == 0)
        {
            return [];
        }

        var list = new List<ActorCell>(children);
        list.Sort(static (a, b) => a.Address.Id.CompareTo(b.Address.Id));
        return list;
    }

    // ---------------------------------------------------------------- the turn

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
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
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

    // ---------------------------------------------------------------- system messages

    private async ValueTask ProcessSystemMessagesAsync()
    {
        if (_startPending)
        {
            _startPending = false;
            await StartInstanceAsync(restarted: false).ConfigureAwait(false);
        }

        while (true)
        {
            SystemMessage? taken = Interlocked.Exchange(ref _systemHead, null);
            if (taken is null)
            {
                return;
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
                await HandleSystemMessageAsync(current).ConfigureAwait(false);
            }
        }
    }

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

    // ---------------------------------------------------------------- lifecycle

    private async ValueTask StartInstanceAsync(bool restarted)
    {
        if (_lifecycle >= Stopping || _actor is null)
        {
            return;
        }

        try
        {
            await _actor.InvokeStartAsync(System.ShutdownToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            HandleFailure(ex, reply: null);
            return;
        }

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

    private async ValueTask StopInstanceAsync()
    {
        if (_actor is null)
        {
            return;
        }

        try
        {
            await _actor.InvokeStopAsync(System.ShutdownToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            System.Logger.LogWarning(ex, "OnStopAsync of actor {Address} threw; ignored.", Address);
        }
    }

    private async ValueTask BeginStopAsync(string reason, DeadLetterReason queuedReason, ReplyChannel? reply, Exception? error)
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

            return;
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
            return;
        }

        await FinishStopAsync(reason, queuedReason).ConfigureAwait(false);
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

    private async ValueTask OnChildTerminatedAsync(ActorCell child)
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
            return;
        }

        switch (state.Pending)
        {
            case PendingAction.Restart:
                await FinishRestartAsync().ConfigureAwait(false);
                break;
            case PendingAction.Terminate:
                state.Pending = PendingAction.None;
                await FinishStopAsync(state.StopReason ?? "stopped", state.QueuedReason).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask FinishStopAsync(string reason, DeadLetterReason queuedReason)
    {
        await StopInstanceAsync().ConfigureAwait(false);
        Volatile.Write(ref _lifecycle, Stopped);
        System.Unregister(this);
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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address}{(Name is null ? string.Empty : " '" + Name + "'")}");

    private enum PendingAction
    {
        None,
        Restart,
        Terminate,
    }

    /// <summary>State most actors never need, allocated on first use to keep an idle actor small.</summary>
    private sealed class CellState
    {
        public HashSet<ActorCell>? Children;
        public HashSet<ActorCell>? Watchers;
        public HashSet<ActorCell>? Watching;
        /// <summary>When the recent restarts happened, as <see cref="TimeProvider.GetTimestamp"/> values (monotonic).</summary>
        public List<long>? RestartTimes;
        public ReplyChannel? FailedReply;
        public Exception? FailedError;
        public ReplyChannel? PendingReply;
        public Exception? PendingError;
        public PendingAction Pending;
        public string? StopReason;
        public DeadLetterReason QueuedReason;
        private List<(ReplyChannel Reply, Exception? Error)>? _extraReplies;

        public List<(ReplyChannel Reply, Exception? Error)> ExtraReplies => _extraReplies ??= [];
    }
}
