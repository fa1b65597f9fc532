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
/// user messages, one at a time. One file per concern: ActorCell.Sending, .Watching, .Children, .Turn,
/// .SystemMessages and .Lifecycle.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
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

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>The registry page holding this cell, from its spawn until it has finished stopping.</summary>
    public ActorRegistry.Page? RegistryPage { get; set; }

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
