using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Actors;
using Papyra.DeadLetters;
using Papyra.Events;
using Papyra.Hooks;
using Papyra.Persistence;
using Papyra.Persistence.Startup;
using Papyra.Recording;

namespace Papyra;

/// <summary>
/// An in-process actor system: spawns actors, routes their messages, supervises their failures
/// and records their lifecycle (events, dead letters, audits) to a persistence backend.
/// </summary>
/// <remarks>
/// Call <see cref="StartAsync(CancellationToken)"/> before spawning (it runs the persistence
/// startup check) and <see cref="DisposeAsync"/> at the end (it stops every actor, turns queued
/// messages into dead letters, and flushes and closes persistence).
/// </remarks>
public sealed partial class ActorSystem : IAsyncDisposable
{
    /// <summary>The longest actor name accepted, in characters.</summary>
    public const int MaxNameLength = 256;

    private const int Created = 0;
    private const int Running = 1;
    private const int Disposing = 2;
    private const int Disposed = 3;

    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly ActorRegistry _registry = new();
    private readonly Dictionary<string, ActorCell> _names = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly EventLog _events;
    private readonly DeadLetterLog _deadLetters;
    private readonly ShutdownRefusals _refusals = new();
    private readonly Func<double> _now;
    private readonly HookDispatcher? _hooks;
    private readonly LifecycleRecorder? _recorder;
    private readonly Action<ActorEvent>? _persist;
    private readonly Action<ActorEvent, Action<ActorEvent>>? _persistAndNumber;
    private readonly Func<ActorEvent, long>? _persistNumbered;
    private long _nextId;
    private long _abandonedIds;
    private long _lateReplies;
    private int _state;
    private Task? _disposal;

    /// <summary>Creates a system; call <see cref="StartAsync(CancellationToken)"/> before spawning actors.</summary>
    /// <param name="options">The configuration; defaults when <see langword="null"/>.</param>
    public ActorSystem(ActorSystemOptions? options = null)
    {
        Options = options ?? new ActorSystemOptions();
        Logger = Options.LoggerFactory.CreateLogger("Papyra.ActorSystem");
        _now = Now;
        _events = new EventLog(Options.EventLogCapacity);
        if (Options.Hooks is { } hooks)
        {
            _hooks = new HookDispatcher(hooks, Logger, _shutdown.Token);
        }

        if (Options.Persistence is { } backend)
        {
            _recorder = new LifecycleRecorder(backend, Options.SystemId, Logger, _events.Counter);
            if (_recorder.NumbersOwnEvents)
            {
                _persistNumbered = _recorder.PersistNumbered;
            }
            else if (_recorder.NumbersEvents)
            {
                _persistAndNumber = _recorder.PersistAndNumber;
            }
            else
            {
                _persist = _recorder.PersistEvent;
            }
        }

        _deadLetters = new DeadLetterLog(Options.EventLogCapacity, _hooks is null && _recorder is null ? null : HandOn);

        PublishInstruments();
    }

    /// <summary>The system id: the first part of every address.</summary>
    public string SystemId => Options.SystemId;

    /// <summary>The configuration.</summary>
    public ActorSystemOptions Options { get; }

    /// <summary>Whether the system has started and is not being disposed.</summary>
    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>
    /// Copies the recent lifecycle events, in the order they happened (at most
    /// <see cref="ActorSystemOptions.EventLogCapacity"/>). Each call takes a fresh snapshot under a lock:
    /// keep the result rather than calling it in a loop.
    /// </summary>
    /// <returns>A snapshot that later events do not change.</returns>
    public IReadOnlyList<ActorEvent> GetRecentEvents() => _events.Snapshot();

    /// <summary>The <see cref="ActorEvent.Sequence"/> of the latest event; 0 before the first.</summary>
    public long LastEventSequence => _events.LastSequence;

    /// <summary>
    /// Copies the recent dead letters (at most <see cref="ActorSystemOptions.EventLogCapacity"/>). Each call
    /// takes a fresh snapshot under a lock: keep the result rather than calling it in a loop.
    /// </summary>
    /// <returns>A snapshot that later dead letters do not change.</returns>
    public IReadOnlyList<DeadLetter> GetRecentDeadLetters() => _deadLetters.Snapshot();

    /// <summary>How many messages became dead letters, including the <see cref="LateDeadLetterCount"/> ones and each message a <see cref="DeadLetterSummary"/> stands for.</summary>
    /// <remarks>
    /// Every dead letter counted here reaches <see cref="ISystemHooks.OnDeadLetterAsync(DeadLetter, CancellationToken)"/>
    /// and the persistence backend, on its own or in a summary, except the late ones (see
    /// <see cref="DisposeAsync"/>). Under traffic this and <see cref="LateDeadLetterCount"/> move
    /// between two reads; compare them once nothing is sent any more.
    /// </remarks>
    public long DeadLetterCount => _deadLetters.Total + _refusals.Total;

    /// <summary>
    /// How many dead letters came after <see cref="DisposeAsync"/> had stopped every actor and closed
    /// the dead-letter records (while it finishes the hooks and the store, or after it returned):
    /// they are counted in <see cref="DeadLetterCount"/> and kept in <see cref="GetRecentDeadLetters"/>, but
    /// neither hooked nor persisted, since the hooks and the store are closing or closed.
    /// </summary>
    public long LateDeadLetterCount => _deadLetters.Late;

    /// <summary>How many ask replies arrived after their asker had timed out or cancelled (dropped).</summary>
    public long LateReplies => Interlocked.Read(ref _lateReplies);

    /// <summary>How many persistence writes failed (<c>write_errors</c>); the system carries on after each.</summary>
    public long PersistenceWriteErrors => _recorder?.WriteErrors ?? 0;

    internal ILogger Logger { get; }

    internal Lock RegistryLock { get; } = new();

    internal CancellationToken ShutdownToken => _shutdown.Token;

    internal bool IsShuttingDown => Volatile.Read(ref _state) >= Disposing;

    internal TimeProvider TimeProvider => Options.TimeProvider;

    /// <summary>The current time in Unix epoch seconds from <see cref="ActorSystemOptions.TimeProvider"/>: the clock of every timestamp.</summary>
    /// <returns>Seconds since 1970-01-01T00:00:00Z.</returns>
    internal double Now()
    {
        TimeProvider clock = Options.TimeProvider;
        long ticks = ReferenceEquals(clock, TimeProvider.System) ? DateTime.UtcNow.Ticks : clock.GetUtcNow().UtcTicks;
        return (ticks - UnixEpochTicks) / (double)TimeSpan.TicksPerSecond;
    }

    /// <summary>
    /// Starts the system: runs the persistence startup check (and the scan/recovery hooks) before
    /// any actor can run. Idempotent. When a strict check fails the system stays unstarted and the
    /// call may be retried.
    /// </summary>
    /// <param name="cancellationToken">Cancels the startup check.</param>
    /// <returns>A task that completes when the system accepts spawns.</returns>
    /// <exception cref="PersistenceStartupException">The startup check refused to start (its report is attached).</exception>
    /// <exception cref="ObjectDisposedException">The system was disposed.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int state = Volatile.Read(ref _state);
            ObjectDisposedException.ThrowIf(state >= Disposing, this);
            if (state == Running)
            {
                return;
            }

            if (Options.Persistence is { } backend)
            {
                PersistenceStartupReport report = await PersistenceStartupCheck.RunAsync(backend, Options.StartupCheck, Logger, cancellationToken).ConfigureAwait(false);
                if (_hooks is not null && report.Scan is { } scan)
                {
                    await _hooks.InvokeNowAsync(scan, cancellationToken).ConfigureAwait(false);
                }

                if (_hooks is not null && report.Recovery is { } recovery)
                {
                    await _hooks.InvokeNowAsync(recovery, cancellationToken).ConfigureAwait(false);
                }

                if (!report.Passed)
                {
                    throw new PersistenceStartupException(report);
                }
            }

            lock (RegistryLock)
            {
                if (_state == Created)
                {
                    _state = Running;
                }
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>Spawns an actor of a class with a parameterless constructor.</summary>
    /// <typeparam name="TActor">The actor class; a new instance is created now and on every restart.</typeparam>
    /// <param name="name">An optional name, unique among running actors (1 to <see cref="MaxNameLength"/> characters, no control characters); kept across restarts, freed when the actor stops.</param>
    /// <param name="parent">The parent; <see langword="null"/> for a root actor.</param>
    /// <param name="policy">The supervision policy; by default <see cref="SupervisionPolicy.Restart"/> for a named actor and <see cref="SupervisionPolicy.Stop"/> for an unnamed one.</param>
    /// <param name="mailbox">The mailbox; unbounded by default.</param>
    /// <returns>The actor's reference. The actor starts asynchronously; messages sent now wait for its start.</returns>
    /// <exception cref="ActorStoppedException">The system is not running, or the parent is not.</exception>
    /// <exception cref="ArgumentException">The name is invalid or already taken, or the parent belongs to another system.</exception>
    public ActorRef Spawn<TActor>(string? name = null, ActorRef? parent = null, SupervisionPolicy? policy = null, MailboxOptions? mailbox = null)
        where TActor : Actor, new()
        => Spawn(FactoryCache<TActor>.Create, name, parent, policy, mailbox);

    /// <summary>Spawns an actor from a factory.</summary>
    /// <param name="factory">Creates a new actor instance; called now (its exception propagates) and again on every restart.</param>
    /// <param name="name">An optional name, unique among running actors (1 to <see cref="MaxNameLength"/> characters, no control characters); kept across restarts, freed when the actor stops.</param>
    /// <param name="parent">The parent; <see langword="null"/> for a root actor.</param>
    /// <param name="policy">The supervision policy; by default <see cref="SupervisionPolicy.Restart"/> for a named actor and <see cref="SupervisionPolicy.Stop"/> for an unnamed one.</param>
    /// <param name="mailbox">The mailbox; unbounded by default.</param>
    /// <returns>The actor's reference. The actor starts asynchronously; messages sent now wait for its start.</returns>
    /// <exception cref="ActorStoppedException">The system is not running, or the parent is not.</exception>
    /// <exception cref="ArgumentException">The name is invalid or already taken, or the parent belongs to another system.</exception>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public ActorRef Spawn(Func<Actor> factory, string? name = null, ActorRef? parent = null, SupervisionPolicy? policy = null, MailboxOptions? mailbox = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ValidateName(name);
        ActorCell? parentCell = null;
        if (parent is not null)
        {
            if (!ReferenceEquals(parent.Cell.System, this))
            {
                throw new ArgumentException($"The parent {parent.Address} belongs to another actor system.", nameof(parent));
            }

            parentCell = parent.Cell;
        }

        EnsureRunning();
        if (name is not null)
        {
            lock (RegistryLock)
            {
                ThrowIfNameTaken(name);
            }
        }

        long id = Interlocked.Increment(ref _nextId);
        ActorCell cell;
        try
        {
            Actor actor = factory() ?? throw new InvalidOperationException("The actor factory returned null.");
            cell = new ActorCell(this, new ActorAddress(SystemId, id), parentCell, name, policy ?? (name is null ? SupervisionPolicy.Stop : SupervisionPolicy.Restart), factory, mailbox, actor);
        }
        catch
        {
            Interlocked.Increment(ref _abandonedIds);
            _registry.Abandon(id);
            throw;
        }

        if (name is null && parentCell is null)
        {
            // The common case takes no lock: the registry's slot (written with a full fence), then
            // a look at the state. A shutdown sets the state before it lists the registry, so either
            // it finds this cell and stops it, or this sees the shutdown and the cell stops itself,
            // as an actor spawned just before the shutdown would.
            _registry.Add(cell);
            if (Volatile.Read(ref _state) != Running)
            {
                cell.PostStop("shutdown", DeadLetterReason.QueuedAtShutdown);
            }
        }
        else
        {
            RegisterLocked(cell, name, parentCell);
        }

        cell.Schedule();
        return cell.Self;
    }

    private void RegisterLocked(ActorCell cell, string? name, ActorCell? parentCell)
    {
        lock (RegistryLock)
        {
            try
            {
                if (_state != Running)
                {
                    throw NotRunning();
                }

                if (name is not null)
                {
                    ThrowIfNameTaken(name);
                }

                if (parentCell is not null && (!parentCell.IsAlive || parentCell.IsPlaceholder))
                {
                    throw new ActorStoppedException($"The parent {parentCell.Address} is not running, so it cannot get a new child.");
                }
            }
            catch
            {
                Interlocked.Increment(ref _abandonedIds);
                _registry.Abandon(cell.Address.Id);
                throw;
            }

            parentCell?.AddChildLocked(cell);
            _registry.Add(cell);
            if (name is not null)
            {
                _names.Add(name, cell);
            }
        }
    }

    /// <summary>
    /// Returns a reference for an address of this system. An address with no running actor gives
    /// a reference whose messages become dead letters.
    /// </summary>
    /// <param name="address">The address.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="ArgumentException">The address is empty or belongs to another system (there is no remoting).</exception>
    public ActorRef RefFor(ActorAddress address)
    {
        EnsureLocal(address, nameof(address));
        if (_registry.TryGet(address.Id, out ActorCell? cell) && cell.Lifecycle != ActorCell.Stopped)
        {
            return cell.Self;
        }

        return ActorCell.CreatePlaceholder(this, address).Self;
    }

    /// <summary>Parses <c>system:id</c> and returns a reference, as <see cref="RefFor(ActorAddress)"/>.</summary>
    /// <param name="address">The address text, for example <c>local:1</c>.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="FormatException">The text is not a valid address.</exception>
    /// <exception cref="ArgumentException">The address belongs to another system.</exception>
    public ActorRef RefFor(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return RefFor(ActorAddress.Parse(address));
    }

    /// <summary>Returns the reference of the running actor registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The reference.</returns>
    /// <exception cref="KeyNotFoundException">No running actor has that name.</exception>
    public ActorRef RefForName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGetRefForName(name, out ActorRef? found)
            ? found
            : throw new KeyNotFoundException($"No actor is registered under the name '{name}' in actor system '{SystemId}'.");
    }

    /// <summary>Looks up the running actor registered under <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="actorRef">The reference when found.</param>
    /// <returns>Whether an actor has that name.</returns>
    public bool TryGetRefForName(string name, [NotNullWhen(true)] out ActorRef? actorRef)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (RegistryLock)
        {
            if (_names.TryGetValue(name, out ActorCell? cell))
            {
                actorRef = cell.Self;
                return true;
            }
        }

        actorRef = null;
        return false;
    }

    /// <summary>
    /// Stops an actor: its children first (depth first), then the actor after its current message;
    /// messages still queued become dead letters. Completes when the actor has stopped
    /// (<see cref="ActorStopped"/> emitted, name freed). Stopping a stopped actor does nothing.
    /// </summary>
    /// <param name="actor">The actor.</param>
    /// <param name="cancellationToken">Cancels the wait (the stop still happens).</param>
    /// <returns>A task that completes when the actor has stopped.</returns>
    /// <exception cref="ArgumentException">The actor belongs to another system.</exception>
    public Task StopAsync(ActorRef actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!ReferenceEquals(actor.Cell.System, this))
        {
            throw new ArgumentException($"The actor {actor.Address} belongs to another actor system.", nameof(actor));
        }

        return actor.Cell.RequestStop("stopped", DeadLetterReason.QueuedAtStop).WaitAsync(cancellationToken);
    }

    /// <summary>Requests that an actor stop, like <see cref="StopAsync(ActorRef, CancellationToken)"/>, without waiting for it.</summary>
    /// <param name="actor">The actor.</param>
    /// <exception cref="ArgumentException">The actor belongs to another system.</exception>
    public void Stop(ActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!ReferenceEquals(actor.Cell.System, this))
        {
            throw new ArgumentException($"The actor {actor.Address} belongs to another actor system.", nameof(actor));
        }

        actor.Cell.PostStop("stopped", DeadLetterReason.QueuedAtStop);
    }

    /// <summary>The registered names and their addresses.</summary>
    /// <returns>A snapshot, ordered by name.</returns>
    public IReadOnlyDictionary<string, ActorAddress> ListNames()
    {
        lock (RegistryLock)
        {
            var names = new SortedDictionary<string, ActorAddress>(StringComparer.Ordinal);
            foreach ((string name, ActorCell cell) in _names)
            {
                names.Add(name, cell.Address);
            }

            return names;
        }
    }

    /// <summary>The addresses of the actors the system knows (those that have not finished stopping), in spawn order.</summary>
    /// <param name="aliveOnly">Only actors that accept messages (not stopping).</param>
    /// <returns>A snapshot.</returns>
    public IReadOnlyList<ActorAddress> ListActors(bool aliveOnly = false)
    {
        List<ActorCell> cells = SnapshotCells();
        var addresses = new List<ActorAddress>(cells.Count);
        foreach (ActorCell cell in cells)
        {
            if (!aliveOnly || cell.IsAlive)
            {
                addresses.Add(cell.Address);
            }
        }

        return addresses;
    }

    /// <summary>Describes one actor.</summary>
    /// <param name="address">The actor's address.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentException">The address belongs to another system.</exception>
    /// <exception cref="KeyNotFoundException">No actor with that address exists (it never did, or it has stopped).</exception>
    public ActorInfo GetActorInfo(ActorAddress address)
    {
        EnsureLocal(address, nameof(address));
        if (_registry.TryGet(address.Id, out ActorCell? cell) && cell.Lifecycle != ActorCell.Stopped)
        {
            lock (RegistryLock)
            {
                return DescribeLocked(cell);
            }
        }

        throw new KeyNotFoundException($"There is no actor {address} in actor system '{SystemId}' (it never existed or has stopped).");
    }

    /// <summary>Describes one actor.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="KeyNotFoundException">The actor has stopped.</exception>
    public ActorInfo GetActorInfo(ActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return GetActorInfo(actor.Address);
    }

    /// <summary>
    /// Takes an audit of the registry and counters; it is sent to
    /// <see cref="ISystemHooks.OnAuditAsync(AuditReport, CancellationToken)"/> and persisted.
    /// </summary>
    /// <param name="includeActorDetails">Include an <see cref="ActorInfo"/> per actor.</param>
    /// <returns>The audit.</returns>
    public AuditReport Audit(bool includeActorDetails = false)
    {
        int alive = 0, stopping = 0, restarting = 0;
        var dead = new List<string>();
        var orphans = new List<string>();
        var details = new List<ActorInfo>();
        int total, registrySize;
        lock (RegistryLock)
        {
            List<ActorCell> cells = _registry.Snapshot(includeStopped: false);
            foreach (ActorCell cell in cells)
            {
                int lifecycle = cell.Lifecycle;
                if (lifecycle == ActorCell.Restarting)
                {
                    restarting++;
                }

                if (lifecycle >= ActorCell.Stopping)
                {
                    stopping++;
                }
                else
                {
                    alive++;
                }
            }

            foreach ((string name, ActorCell cell) in _names)
            {
                if (!_registry.TryGet(cell.Address.Id, out _))
                {
                    orphans.Add(name);
                }
                else if (!cell.IsAlive)
                {
                    dead.Add(name);
                }
            }

            if (includeActorDetails)
            {
                details.AddRange(cells.ConvertAll(DescribeLocked));
            }

            total = (int)Math.Min(int.MaxValue, Volatile.Read(ref _nextId) - Volatile.Read(ref _abandonedIds));
            registrySize = _names.Count;
        }

        orphans.Sort(StringComparer.Ordinal);
        dead.Sort(StringComparer.Ordinal);
        var report = new AuditReport(SystemId, Now(), total, alive, stopping, restarting, registrySize, orphans, dead, _deadLetters.Total, details);
        _hooks?.Post(report);
        _recorder?.Enqueue(report);
        return report;
    }

    /// <summary>Waits for a lifecycle event matching <paramref name="predicate"/>, looking first at the retained <see cref="GetRecentEvents"/>.</summary>
    /// <param name="predicate">The condition.</param>
    /// <param name="timeout">How long to wait (wall-clock); 5 seconds by default.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching event.</returns>
    /// <exception cref="TimeoutException">No matching event within the timeout.</exception>
    public Task<ActorEvent> WaitForEventAsync(Func<ActorEvent, bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _events.WaitAsync(predicate, timeout ?? TimeSpan.FromSeconds(5), cancellationToken);
    }

    /// <summary>Waits for a lifecycle event of type <typeparamref name="TEvent"/> matching <paramref name="predicate"/>, looking first at the retained <see cref="GetRecentEvents"/>.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="predicate">An optional further condition.</param>
    /// <param name="timeout">How long to wait (wall-clock); 5 seconds by default.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first matching event.</returns>
    /// <exception cref="TimeoutException">No matching event within the timeout.</exception>
    public async Task<TEvent> WaitForEventAsync<TEvent>(Func<TEvent, bool>? predicate = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TEvent : ActorEvent
    {
        ActorEvent found = await _events.WaitAsync(e => e is TEvent typed && (predicate is null || predicate(typed)), timeout ?? TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        return (TEvent)found;
    }

    /// <summary>Waits until every event, dead letter and audit produced so far is written to the persistence backend and flushed.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the backend has everything.</returns>
    public ValueTask FlushPersistenceAsync(CancellationToken cancellationToken = default)
        => _recorder?.FlushAsync(cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Compacts the persistence backend (applies its retention physically) after writing everything queued.</summary>
    /// <param name="cancellationToken">Cancels the compaction.</param>
    /// <returns>The compaction report; <see langword="null"/> when there is no backend or it cannot compact.</returns>
    public async ValueTask<CompactionReport?> CompactAsync(CancellationToken cancellationToken = default)
    {
        if (Options.Persistence is not IPersistenceCompactor compactor)
        {
            return null;
        }

        await FlushPersistenceAsync(cancellationToken).ConfigureAwait(false);
        return await compactor.CompactAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Shuts down gracefully: stops the root actors in spawn order (each after its children),
    /// turning queued messages into dead letters, waits for the hooks, then writes everything to
    /// persistence, flushes and closes it. Idempotent.
    /// </summary>
    /// <remarks>
    /// <para>
    /// From the call on, the system takes no new messages: a tell or ask to any of its actors is
    /// refused at once (an ask fails with <see cref="ActorStoppedException"/> instead of waiting
    /// for its timeout), and counted in <see cref="DeadLetterCount"/>. Handlers already running
    /// finish, and messages queued before the call become dead letters
    /// (<see cref="DeadLetterReason.QueuedAtShutdown"/>), each hooked and persisted.
    /// </para>
    /// <para>
    /// Messages refused until every actor has stopped are hooked and persisted as one
    /// <see cref="DeadLetterSummary"/> per target, message type and kind (tell or ask), not one
    /// record each. After that the dead-letter records are sealed: messages sent while the hooks
    /// and the store finish, or after this returns, are counted in <see cref="DeadLetterCount"/>
    /// and <see cref="LateDeadLetterCount"/> and kept in <see cref="GetRecentDeadLetters"/>, but neither
    /// hooked nor persisted. So once this has returned and nothing more is sent, the hooks saw,
    /// and the store holds, exactly <c>DeadLetterCount - LateDeadLetterCount</c> dead messages
    /// (a summary standing for its <see cref="DeadLetterSummary.Count"/>).
    /// </para>
    /// <para>
    /// How long it takes therefore depends on what was queued when it was called (every queued
    /// message is one dead-letter record) and on the actors' stop handlers, not on how long
    /// clients keep sending.
    /// </para>
    /// </remarks>
    /// <returns>A task that completes when the system is closed.</returns>
    public ValueTask DisposeAsync()
    {
        TaskCompletionSource? first = null;
        Task disposal;
        lock (RegistryLock)
        {
            if (_disposal is null)
            {
                Interlocked.Exchange(ref _state, Disposing);
                first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _disposal = first.Task;
            }

            disposal = _disposal;
        }

        if (first is not null)
        {
            // Runs synchronously up to its first wait, so the first stop request is posted before
            // this call returns: nothing queued afterwards slips past the shutdown.
            _ = RunDisposalAsync(first);
        }

        return new ValueTask(disposal);
    }

    private async Task RunDisposalAsync(TaskCompletionSource completion)
    {
        try
        {
            await DisposeCoreAsync().ConfigureAwait(false);
            completion.TrySetResult();
        }
        catch (Exception ex)
        {
            completion.TrySetException(ex);
        }
    }

    internal static string DescribeError(Exception error) => $"{error.GetType().Name}: {error.Message}";

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal void Emit(ActorEvent actorEvent)
    {
        // Serialised for the store before the event log's lock, appended under it in sequence order.
        _recorder?.PrepareEvent(actorEvent);
        if (_persistNumbered is not null)
        {
            _events.AppendNumbered(actorEvent, _persistNumbered);
        }
        else if (_persistAndNumber is not null)
        {
            _events.AppendNumberedBy(actorEvent, _persistAndNumber);
        }
        else
        {
            _events.Append(actorEvent, _persist);
        }

        _hooks?.Post(actorEvent);
    }

    internal void ReportFailure(FailureInfo failure) => _hooks?.Post(failure);

    internal void RecordDeadLetter(ActorAddress target, object message, bool expectsReply, DeadLetterReason reason)
    {
        _deadLetters.Append(new DeadLetter(target, message, message.GetType().Name, expectsReply, Now(), reason));
    }

    // Called by the dead-letter log under its lock, until it is sealed at shutdown.
    private void HandOn(DeadLetter deadLetter)
    {
        _hooks?.Post(deadLetter);
        _recorder?.Enqueue(deadLetter);
    }

    /// <summary>
    /// A message refused because its target is not running (or unknown). While the system shuts
    /// down and until every actor has stopped, such messages are counted into a
    /// <see cref="DeadLetterSummary"/> per target and type instead of being recorded one by one.
    /// </summary>
    internal void RecordRefusal(ActorAddress target, object message, bool expectsReply, DeadLetterReason reason)
    {
        if (IsShuttingDown && _refusals.TryAdd(target, message, expectsReply, reason, _now))
        {
            return;
        }

        RecordDeadLetter(target, message, expectsReply, reason);
    }

    internal void CountLateReply() => Interlocked.Increment(ref _lateReplies);

    /// <summary>Frees a stopped actor's name, before its <see cref="ActorStopped"/> is emitted.</summary>
    internal void ReleaseName(ActorCell cell)
    {
        if (cell.Name is null)
        {
            return;
        }

        lock (RegistryLock)
        {
            if (_names.TryGetValue(cell.Name, out ActorCell? named) && ReferenceEquals(named, cell))
            {
                _names.Remove(cell.Name);
            }
        }
    }

    /// <summary>Forgets a cell that has finished stopping: its events and dead letters are all emitted.</summary>
    internal void Unregister(ActorCell cell) => _registry.Remove(cell);

    private async Task DisposeCoreAsync()
    {
        // Handlers waiting on the shutdown token finish now rather than holding up the stops
        // (their OperationCanceledException is not reported as a crash).
        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            List<ActorCell> roots = _registry.Snapshot(includeStopped: true).FindAll(static c => c.Parent is null);
            foreach (ActorCell root in roots)
            {
                await root.RequestStop("shutdown", DeadLetterReason.QueuedAtShutdown).ConfigureAwait(false);
            }

            // Children whose parent had already stopped them, actors spawned while stopping, and
            // actors still finishing their stop (a stopped cell leaves the registry only after its
            // last event): until none is left, so nothing is emitted after the store is closed.
            while (_registry.Snapshot(includeStopped: true) is { Count: > 0 } left)
            {
                foreach (ActorCell cell in left)
                {
                    await cell.RequestStop("shutdown", DeadLetterReason.QueuedAtShutdown).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Stopping the actors of system {SystemId} failed.", SystemId);
        }

        // Every actor has stopped, so what is left are callers still sending. Sealing here, before
        // the hooks and the store are closed, is what keeps their dead letters: the hook and
        // recorder queues used to be completed while senders kept posting, and TryWrite to a
        // completed channel drops silently. From now on dead letters are only counted (late), so
        // the drains below have a fixed amount of work however long clients keep sending.
        foreach (DeadLetter summary in _refusals.Seal(Now()))
        {
            _deadLetters.AppendSummary(summary);
        }

        _deadLetters.Seal();

        if (_hooks is not null)
        {
            await _hooks.DisposeAsync().ConfigureAwait(false);
        }

        if (_recorder is not null)
        {
            await _recorder.DisposeAsync().ConfigureAwait(false);
        }

        UnpublishInstruments();
        Volatile.Write(ref _state, Disposed);
    }

    private List<ActorCell> SnapshotCells() => _registry.Snapshot(includeStopped: false);

    private ActorInfo DescribeLocked(ActorCell cell)
    {
        int lifecycle = cell.Lifecycle;
        return new ActorInfo(
            cell.Address,
            cell.Name,
            cell.Parent?.Address,
            cell.ChildrenSnapshotLocked().ConvertAll(static c => c.Address),
            lifecycle < ActorCell.Stopping,
            lifecycle == ActorCell.Stopping,
            lifecycle == ActorCell.Restarting,
            cell.ActorTypeName,
            cell.MailboxDepth);
    }

    private void EnsureRunning()
    {
        if (Volatile.Read(ref _state) != Running)
        {
            throw NotRunning();
        }
    }

    private ActorStoppedException NotRunning() => Volatile.Read(ref _state) == Created
        ? new ActorStoppedException($"Actor system '{SystemId}' is not started: call StartAsync before spawning actors.")
        : new ActorStoppedException($"Actor system '{SystemId}' is shut down: no new actors can be spawned.");

    private void ThrowIfNameTaken(string name)
    {
        if (_names.TryGetValue(name, out ActorCell? existing))
        {
            throw new ArgumentException($"An actor named '{name}' already exists ({existing.Address}).", nameof(name));
        }
    }

    private void EnsureLocal(ActorAddress address, string parameterName)
    {
        if (address.IsEmpty)
        {
            throw new ArgumentException("The address is empty (default(ActorAddress)).", parameterName);
        }

        if (!string.Equals(address.System, SystemId, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The address {address} belongs to actor system '{address.System}', but this system is '{SystemId}': remote actor systems are not supported.",
                parameterName);
        }
    }

    private static void ValidateName(string? name)
    {
        if (name is null)
        {
            return;
        }

        if (name.Length == 0 || string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An actor name must not be empty or whitespace.", nameof(name));
        }

        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"An actor name must be at most {MaxNameLength} characters; '{name[..40]}…' has {name.Length}."), nameof(name));
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The actor name '{name}' contains a control character.", nameof(name));
            }
        }
    }

    private static class FactoryCache<TActor>
        where TActor : Actor, new()
    {
        public static readonly Func<Actor> Create = static () => new TActor();
    }
}
