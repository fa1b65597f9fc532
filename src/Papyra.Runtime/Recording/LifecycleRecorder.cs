using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Papyra.Persistence;

namespace Papyra.Recording;

/// <summary>
/// Writes a system's events, dead letters and audits to its persistence backend without making
/// actors wait for storage: through a background loop, or for events to a backend that appends
/// without I/O, on the emitting thread (see remarks). A failed write is counted and logged and the
/// system carries on; <see cref="DisposeAsync"/> drains what is queued, flushes and closes the backend.
/// </summary>
/// <remarks>
/// Actor events reach a backend that appends inline (<see cref="IInlineEventAppender"/>: the
/// JSON-lines store in Fsync or None mode) on the thread that emitted them: serialised before the
/// event log's lock (<see cref="PrepareEvent"/>), appended under it (<see cref="PersistEvent"/>), so
/// the store is in sequence order without a hand-off: no queue, no wake-up of the writer loop, and
/// the serialising spread over the threads that run actors. Everything else goes through the queue.
/// </remarks>
internal sealed class LifecycleRecorder : IAsyncDisposable
{
    private static readonly JsonSerializerOptions PayloadOptions = new()
    {
        MaxDepth = 32,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly IPersistenceBackend _backend;
    private readonly string _systemId;
    private readonly ILogger _logger;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, JsonElement> _reasonPayloads = new(StringComparer.Ordinal);
    private readonly IInlineEventAppender? _inline;
    private long _writeErrors;
    private long _recordsWritten;

    // The event this thread serialised last, waiting for PersistEvent under the event log's lock.
    [ThreadStatic]
    private static PreparedEvent? t_prepared;

    // The batch the latest inline events joined. Written only by PersistEvent, under the event log's lock.
    private InlineBatch? _inlineBatch;

    /// <param name="backend">The store.</param>
    /// <param name="systemId">The system's id, in every record.</param>
    /// <param name="logger">Where write failures are logged.</param>
    /// <param name="sequence">
    /// The system's event counter: a store that can order its lines by it (<see cref="IInlineEventAppender.TryAttachSequence"/>)
    /// takes and numbers events through <see cref="PersistNumbered"/>, without a lock (<see cref="NumbersOwnEvents"/>).
    /// </param>
    public LifecycleRecorder(IPersistenceBackend backend, string systemId, ILogger logger, EventSequence? sequence = null)
    {
        _backend = backend;
        _systemId = systemId;
        _logger = logger;
        _inline = backend is IInlineEventAppender { AppendsInline: true } inline ? inline : null;
        NumbersOwnEvents = _inline is not null && sequence is not null && _inline.TryAttachSequence(sequence);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    /// <summary>Whether events go to the store through <see cref="PersistNumbered"/>, which numbers them from the event log's counter as it places their lines.</summary>
    public bool NumbersOwnEvents { get; }

    /// <summary>Whether events are numbered by <see cref="PersistAndNumber"/> under the store's own lock, without the event log's.</summary>
    public bool NumbersEvents => _inline is { NumbersUnderItsLock: true };

    public long RecordsWritten => Interlocked.Read(ref _recordsWritten);

    /// <summary>Queues a <see cref="DeadLetter"/> or <see cref="AuditReport"/>; never blocks.</summary>
    public void Enqueue(object item) => _queue.Writer.TryWrite(item);

    /// <summary>
    /// Serialises an actor event for an inline backend on the calling thread, before the caller
    /// takes the event log's lock, so emitting threads serialise in parallel. Does nothing for
    /// other backends.
    /// </summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void PrepareEvent(ActorEvent actorEvent)
    {
        if (_inline is null)
        {
            return;
        }

        PreparedEvent prepared = t_prepared ??= new PreparedEvent();
        prepared.Prepare(this, actorEvent);
    }

    /// <summary>
    /// Persists an actor event. The caller holds the event log's lock, so calls come in sequence
    /// order: an inline backend appends it now (serialised by <see cref="PrepareEvent"/> on this
    /// thread, or here), other backends get it through the queue. Never waits for I/O.
    /// </summary>
    public void PersistEvent(ActorEvent actorEvent)
    {
        if (_inline is null)
        {
            _queue.Writer.TryWrite(actorEvent);
            return;
        }

        PreparedEvent? prepared = t_prepared;
        if (prepared is null || !prepared.Matches(this, actorEvent))
        {
            prepared = t_prepared ??= new PreparedEvent();
            prepared.Prepare(this, actorEvent);
        }

        TrackInline(prepared.Append(_inline), prepared.Stripe);
    }

    /// <summary>
    /// Persists an actor event to a store that numbers it (<see cref="NumbersEvents"/>): appended
    /// with the line <see cref="PrepareEvent"/> serialised on this thread, and given its number by
    /// <paramref name="number"/> under the store's lock, so the store holds events in sequence order.
    /// An event the store cannot take is left unnumbered (the caller numbers it).
    /// </summary>
    public void PersistAndNumber(ActorEvent actorEvent, Action<ActorEvent> number)
    {
        PreparedEvent? prepared = t_prepared;
        if (prepared is null || !prepared.Matches(this, actorEvent))
        {
            prepared = t_prepared ??= new PreparedEvent();
            prepared.Prepare(this, actorEvent);
        }

        TrackInline(prepared.Append(_inline!, number, actorEvent), prepared.Stripe);
    }

    /// <summary>
    /// Persists an event and numbers it (<see cref="NumbersOwnEvents"/>): its line, serialised by
    /// <see cref="PrepareEvent"/> on this thread, goes to the store, which takes the next number of the
    /// system's event counter right before it places the line, and takes it even when the event cannot
    /// be stored (it waits for every number in turn).
    /// </summary>
    /// <returns>The event's number.</returns>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public long PersistNumbered(ActorEvent actorEvent)
    {
        PreparedEvent? prepared = t_prepared;
        if (prepared is null || !prepared.Matches(this, actorEvent))
        {
            prepared = t_prepared ??= new PreparedEvent();
            prepared.Prepare(this, actorEvent);
        }

        Task durable = prepared.AppendNumbered(_inline!, out long sequence);
        TrackInline(durable, prepared.Stripe);
        return sequence;
    }

    /// <summary>Waits until everything queued so far is written and the backend flushed.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_queue.Writer.TryWrite(marker))
        {
            await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            await InlineSettledAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        try
        {
            await _backend.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _writeErrors);
            _logger.LogError(ex, "Flushing persistence backend {Backend} at shutdown failed.", _backend.Name);
        }

        try
        {
            await _backend.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Closing persistence backend {Backend} failed.", _backend.Name);
        }

        await InlineSettledAsync(CancellationToken.None).ConfigureAwait(false);
    }

    // The flush or close before it completed every inline batch; this waits until they are counted.
    private Task InlineSettledAsync(CancellationToken cancellationToken)
        => Volatile.Read(ref _inlineBatch) is { } batch ? batch.Settled.WaitAsync(cancellationToken) : Task.CompletedTask;

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void TrackInline(Task durable, int stripe)
    {
        if (durable.IsCompleted)
        {
            SettleInline(durable, 1);
            return;
        }

        // Emitting threads may get here together when events are numbered under the store's lock
        // rather than the event log's: two of them may each start a batch object for one task,
        // and each counts its own records, so the count stays right.
        InlineBatch? batch = Volatile.Read(ref _inlineBatch);
        if (batch is null || batch.Durable != durable)
        {
            var created = new InlineBatch(this, durable);
            InlineBatch? seen = Interlocked.CompareExchange(ref _inlineBatch, created, batch);
            batch = ReferenceEquals(seen, batch) || seen?.Durable != durable ? created : seen;
        }

        batch.Add(stripe);
    }

    private void SettleInline(Task durable, int records)
    {
        if (records <= 0)
        {
            return;
        }

        if (durable.IsCompletedSuccessfully)
        {
            Interlocked.Add(ref _recordsWritten, records);
            return;
        }

        long errors = Interlocked.Add(ref _writeErrors, records);
        Exception? error = durable.Exception?.InnerException ?? durable.Exception;
        _logger.LogError(error, "Persisting {Count} actor events to backend {Backend} failed ({Errors} write errors so far); the actor system carries on.", records, _backend.Name, errors);
    }

    /// <summary>Converts a dead letter's message to JSON: its public properties, or its text when it cannot be serialised.</summary>
    internal static JsonElement SerializePayload(object message)
    {
        try
        {
            return JsonSerializer.SerializeToElement(message, message.GetType(), PayloadOptions);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            string? text;
            try
            {
                text = message.ToString();
            }
            catch (Exception)
            {
                text = null;
            }

            return JsonSerializer.SerializeToElement(text ?? message.GetType().FullName);
        }
    }

    // Backends append in call order and complete a write once it is durable, so several writes
    // may be in flight at once: with Fsync group commit one fsync then covers many records instead
    // of one each. The window bounds memory; a flush marker drains it. An empty queue does not:
    // the loop then waits for new work or for the oldest write, whichever comes first, so events
    // that trickle in one by one still share commits with the writes already in flight.
    // The window counts records, and writes that share a batch (one task) are tracked as one: a
    // window of 1,024 writes tracked one by one made the loop wait for an fsync every 512 records,
    // about 110,000 records a second, and a shutdown with a million queued dead letters took 12 s.
    private const int MaxRecordsInFlight = 64 * 1024;

    private const int MaxCachedReasons = 256;

    private async Task RunAsync()
    {
        var inFlight = new InFlightWrites(this);
        ChannelReader<object> reader = _queue.Reader;
        Task<bool>? waitForMore = null;
        while (true)
        {
            if (waitForMore is null && reader.TryRead(out object? item))
            {
                await WriteAsync(item, inFlight).ConfigureAwait(false);
                continue;
            }

            await inFlight.SettleCompletedAsync().ConfigureAwait(false);
            if (waitForMore is null)
            {
                ValueTask<bool> more = reader.WaitToReadAsync(CancellationToken.None);
                if (more.IsCompleted)
                {
                    if (!more.Result)
                    {
                        break;
                    }

                    continue;
                }

                waitForMore = more.AsTask();
            }

            if (waitForMore.IsCompleted || inFlight.Count == 0)
            {
                bool hasMore = await waitForMore.ConfigureAwait(false);
                waitForMore = null;
                if (!hasMore)
                {
                    break;
                }

                continue;
            }

            // Keeps the same waitForMore: the next pass settles the finished write and looks again.
            await Task.WhenAny(waitForMore, inFlight.Oldest()).ConfigureAwait(false);
        }

        await inFlight.DrainAsync(keep: 0).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(object item, InFlightWrites inFlight)
    {
        if (item is TaskCompletionSource marker)
        {
            await inFlight.DrainAsync(keep: 0).ConfigureAwait(false);
            try
            {
                await _backend.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _writeErrors);
                _logger.LogError(ex, "Flushing persistence backend {Backend} failed.", _backend.Name);
            }

            marker.TrySetResult();
            return;
        }

        ValueTask write;
        try
        {
            write = item switch
            {
                ActorEvent actorEvent => _backend.RecordEventAsync(ToRecord(actorEvent), CancellationToken.None),
                DeadLetter deadLetter => _backend.RecordDeadLetterAsync(ToRecord(deadLetter), CancellationToken.None),
                AuditReport audit => _backend.RecordAuditAsync(ToRecord(audit), CancellationToken.None),
                _ => ValueTask.CompletedTask,
            };
        }
        catch (Exception ex)
        {
            CountFailure(item.GetType().Name, ex);
            return;
        }

        inFlight.Add(write, item.GetType().Name);
        if (inFlight.Count >= MaxRecordsInFlight)
        {
            await inFlight.DrainAsync(keep: MaxRecordsInFlight / 2).ConfigureAwait(false);
        }
    }

    private void CountFailure(string kind, Exception ex) => CountFailures(kind, 1, ex);

    private void CountFailures(string kind, int records, Exception ex)
    {
        long errors = Interlocked.Add(ref _writeErrors, records);
        if (records == 1)
        {
            _logger.LogError(ex, "Persisting a {Kind} to backend {Backend} failed ({Errors} write errors so far); the actor system carries on.", kind, _backend.Name, errors);
        }
        else
        {
            _logger.LogError(ex, "Persisting {Count} records (the first a {Kind}) to backend {Backend} failed ({Errors} write errors so far); the actor system carries on.", records, kind, _backend.Name, errors);
        }
    }

    private PersistedEvent ToRecord(ActorEvent actorEvent)
        => new(_systemId, actorEvent.Address, actorEvent.EventType, PayloadOf(actorEvent), actorEvent.Timestamp);

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private JsonElement? PayloadOf(ActorEvent actorEvent) => actorEvent switch
    {
        ActorCrashed crashed => JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["error"] = crashed.Reason, ["reason"] = crashed.Reason }),
        ActorRestarted restarted => ReasonPayload(restarted.Reason),
        ActorStopped stopped => ReasonPayload(stopped.Reason),
        _ => null,
    };

    // Stop and restart reasons come from a small set ("stopped", "system shutdown", ...), and every
    // stopped actor writes one: their payloads are built once and shared (a JsonElement is
    // immutable). The cache stops growing at MaxCachedReasons, after which payloads are built per
    // event as before. Emitting threads (inline events) and the loop both use it: it is concurrent.
    private JsonElement ReasonPayload(string reason)
    {
        if (_reasonPayloads.TryGetValue(reason, out JsonElement cached))
        {
            return cached;
        }

        JsonElement element = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["reason"] = reason });
        if (_reasonPayloads.Count < MaxCachedReasons)
        {
            _reasonPayloads.TryAdd(reason, element);
        }

        return element;
    }

    private PersistedDeadLetter ToRecord(DeadLetter deadLetter)
        => new(_systemId, deadLetter.Target, deadLetter.MessageType, SerializePayload(deadLetter.Message), deadLetter.Timestamp, deadLetter.ExpectsReply);

    private PersistedAudit ToRecord(AuditReport audit)
        => new(_systemId, audit.Timestamp, audit.TotalActors, audit.AliveActors, audit.StoppingActors, audit.RestartingActors, audit.RegistrySize, audit.RegistryOrphans, audit.RegistryDead, audit.DeadLettersCount);


    /// <summary>An event serialised on this thread for an inline backend (one per thread, reused).</summary>
    private sealed class PreparedEvent
    {
        // Lines above this are not kept in the thread's buffer (it would stay that large).
        private const int MaxKeptLine = 64 * 1024;

        private static int s_threads;

        private LifecycleRecorder? _owner;
        private ActorEvent? _event;
        private System.Buffers.ArrayBufferWriter<byte> _line = new(512);
        private Exception? _error;

        /// <summary>This thread's counter in a batch's count (<see cref="InlineBatch.Add"/>): threads in turn.</summary>
        public int Stripe { get; } = Interlocked.Increment(ref s_threads);

        public bool Matches(LifecycleRecorder owner, ActorEvent actorEvent) => ReferenceEquals(_owner, owner) && ReferenceEquals(_event, actorEvent);

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Prepare(LifecycleRecorder owner, ActorEvent actorEvent)
        {
            _owner = owner;
            _event = actorEvent;
            _error = null;
            _line.ResetWrittenCount();
            try
            {
                // Written from the event itself, into this thread's line: no record object per event, no copy.
                owner._inline!.SerializeEvent(_line, owner._systemId, actorEvent.Address, actorEvent.EventType, owner.PayloadOf(actorEvent), actorEvent.Timestamp);
            }
            catch (Exception ex)
            {
                // Counted and logged by the backend; the event's write fails with it.
                _error = ex;
            }
        }

        public Task Append(IInlineEventAppender backend) => Append(backend, null, null);

        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public Task AppendNumbered(IInlineEventAppender backend, out long sequence)
        {
            Exception? error = _error;

            // The number, whatever else happens: taken by the store as it places the line (empty when
            // the event could not be serialised), since it writes every number in turn.
            backend.AppendNextNumberedEvent(error is null ? _line.WrittenSpan : default, out sequence, out Task durable);
            _owner = null;
            _event = null;
            _error = null;
            KeepSmall();
            return error is null ? durable : Task.FromException(error);
        }

        public Task Append(IInlineEventAppender backend, Action<ActorEvent>? number, ActorEvent? actorEvent)
        {
            Exception? error = _error;
            _owner = null;
            _event = null;
            _error = null;
            if (error is not null)
            {
                KeepSmall();
                return Task.FromException(error);
            }

            Task durable;
            if (number is null)
            {
                backend.AppendSerializedEvent(_line.WrittenSpan, out durable);
            }
            else
            {
                backend.AppendSerializedEvent(_line.WrittenSpan, number, actorEvent!, out durable);
            }

            KeepSmall();
            return durable;
        }

        // A large line's buffer is not kept for the thread's next events.
        private void KeepSmall()
        {
            if (_line.Capacity > MaxKeptLine)
            {
                _line = new System.Buffers.ArrayBufferWriter<byte>(512);
            }
        }
    }

    /// <summary>
    /// The inline events that joined one group-commit batch (they share its task), counted once
    /// when it settles. An event that joins after the count was taken settles on its own.
    /// </summary>
    private sealed class InlineBatch
    {
        // Counters striped by emitting thread (each on a cache line of its own, 16 ints apart):
        // every event of the batch counts itself, and one shared counter made each of those a
        // cache-line transfer between the cores.
        private const int Stride = 16;
        public const int Stripes = 16;

        private readonly LifecycleRecorder _owner;
        private readonly int[] _records = new int[(Stripes + 1) * Stride];

        public InlineBatch(LifecycleRecorder owner, Task durable)
        {
            _owner = owner;
            Durable = durable;
            Settled = durable.ContinueWith(
                static (_, state) => ((InlineBatch)state!).Settle(),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public Task Durable { get; }

        /// <summary>Completes once the batch's events are counted.</summary>
        public Task Settled { get; }

        /// <summary>Counts one event, from the thread given <paramref name="stripe"/> (any int; see <see cref="PreparedEvent.Stripe"/>).</summary>
        public void Add(int stripe)
        {
            // Stripe i's counter is at (i + 1) * Stride: none shares the array header's line.
            if (Interlocked.Increment(ref _records[((stripe & (Stripes - 1)) + 1) * Stride]) < 0)
            {
                _owner.SettleInline(Durable, 1);
            }
        }

        // Each counter is closed (set negative) as it is read: an event counting itself after that
        // sees a negative count and settles on its own.
        private void Settle()
        {
            int records = 0;
            for (int stripe = 1; stripe <= Stripes; stripe++)
            {
                records += Interlocked.Exchange(ref _records[stripe * Stride], int.MinValue);
            }

            _owner.SettleInline(Durable, records);
        }
    }

    /// <summary>
    /// The writes handed to the backend and not yet settled, oldest first. Consecutive writes that
    /// complete with the same task (one group-commit batch) are kept as one entry.
    /// </summary>
    private sealed class InFlightWrites(LifecycleRecorder owner)
    {
        private readonly Queue<PendingBatch> _batches = new();
        private PendingBatch? _newest;
        private int _records;

        /// <summary>How many records are in flight.</summary>
        public int Count => _records;

        public void Add(ValueTask write, string kind)
        {
            if (write.IsCompleted)
            {
                // Nothing to wait for (a backend that writes synchronously, or a failed write).
                try
                {
                    write.GetAwaiter().GetResult();
                    Interlocked.Increment(ref owner._recordsWritten);
                }
                catch (Exception ex)
                {
                    owner.CountFailure(kind, ex);
                }

                return;
            }

            // A ValueTask may be consumed once: from here on the write is its task (the store's
            // batch task itself, for a backend whose ValueTask wraps one, so no allocation).
            Task task = write.AsTask();
            if (_newest is not null && ReferenceEquals(_newest.Task, task))
            {
                _newest.Records++;
            }
            else
            {
                _newest = new PendingBatch(task, kind);
                _batches.Enqueue(_newest);
            }

            _records++;
        }

        public Task Oldest() => _batches.Peek().Task;

        /// <summary>Settles the writes at the head that have already finished.</summary>
        public async ValueTask SettleCompletedAsync()
        {
            while (_batches.Count > 0 && _batches.Peek().Task.IsCompleted)
            {
                await SettleOldestAsync().ConfigureAwait(false);
            }
        }

        /// <summary>Waits for the oldest writes until at most <paramref name="keep"/> records remain.</summary>
        public async ValueTask DrainAsync(int keep)
        {
            while (_records > keep && _batches.Count > 0)
            {
                await SettleOldestAsync().ConfigureAwait(false);
            }
        }

        private async ValueTask SettleOldestAsync()
        {
            PendingBatch oldest = _batches.Dequeue();
            if (ReferenceEquals(oldest, _newest))
            {
                _newest = null;
            }

            _records -= oldest.Records;
            try
            {
                await oldest.Task.ConfigureAwait(false);
                Interlocked.Add(ref owner._recordsWritten, oldest.Records);
            }
            catch (Exception ex)
            {
                owner.CountFailures(oldest.Kind, oldest.Records, ex);
            }
        }
    }

    /// <summary>Writes in flight that share one task: they settle together.</summary>
    private sealed class PendingBatch(Task task, string kind)
    {
        public Task Task { get; } = task;

        public string Kind { get; } = kind;

        public int Records { get; set; } = 1;
    }
}

