using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Papyra.Persistence;

namespace Papyra.Recording;

/// <summary>
/// Writes a system's events, dead letters and audits to its persistence backend on a background
/// loop, so actors never wait for storage. A failed write is counted and logged and the system
/// carries on; <see cref="DisposeAsync"/> drains what is queued, flushes and closes the backend.
/// </summary>
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
    private readonly Dictionary<string, JsonElement> _reasonPayloads = new(StringComparer.Ordinal);
    private long _writeErrors;
    private long _recordsWritten;

    public LifecycleRecorder(IPersistenceBackend backend, string systemId, ILogger logger)
    {
        _backend = backend;
        _systemId = systemId;
        _logger = logger;
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    public long RecordsWritten => Interlocked.Read(ref _recordsWritten);

    /// <summary>Queues an <see cref="ActorEvent"/>, <see cref="DeadLetter"/> or <see cref="AuditReport"/>; never blocks.</summary>
    public void Enqueue(object item) => _queue.Writer.TryWrite(item);

    /// <summary>Waits until everything queued so far is written and the backend flushed.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_queue.Writer.TryWrite(marker))
        {
            await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
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
    // may be in flight at once: with Fsync group commit one fsync then covers many events instead
    // of one each. The window bounds memory; a flush marker drains it. An empty queue does not:
    // the loop then waits for new work or for the oldest write, whichever comes first, so events
    // that trickle in one by one still share commits with the writes already in flight.
    private const int MaxWritesInFlight = 1024;

    private const int MaxCachedReasons = 256;

    private async Task RunAsync()
    {
        var inFlight = new InFlightWrites(this, MaxWritesInFlight);
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
        if (inFlight.Count >= MaxWritesInFlight)
        {
            await inFlight.DrainAsync(keep: MaxWritesInFlight / 2).ConfigureAwait(false);
        }
    }

    private void CountFailure(string kind, Exception ex)
    {
        long errors = Interlocked.Increment(ref _writeErrors);
        _logger.LogError(ex, "Persisting a {Kind} to backend {Backend} failed ({Errors} write errors so far); the actor system carries on.", kind, _backend.Name, errors);
    }

    private PersistedEvent ToRecord(ActorEvent actorEvent)
    {
        JsonElement? element = actorEvent switch
        {
            ActorCrashed crashed => JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["error"] = crashed.Reason, ["reason"] = crashed.Reason }),
            ActorRestarted restarted => ReasonPayload(restarted.Reason),
            ActorStopped stopped => ReasonPayload(stopped.Reason),
            _ => null,
        };
        return new PersistedEvent(_systemId, actorEvent.Address, actorEvent.EventType, element, actorEvent.Timestamp);
    }

    // Stop and restart reasons come from a small set ("stopped", "system shutdown", ...), and every
    // stopped actor writes one: their payloads are built once and shared (a JsonElement is
    // immutable). Only this loop calls it, so the cache needs no lock; it stops growing at
    // MaxCachedReasons, after which payloads are built per event as before.
    private JsonElement ReasonPayload(string reason)
    {
        if (_reasonPayloads.TryGetValue(reason, out JsonElement cached))
        {
            return cached;
        }

        JsonElement element = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["reason"] = reason });
        if (_reasonPayloads.Count < MaxCachedReasons)
        {
            _reasonPayloads[reason] = element;
        }

        return element;
    }

    private PersistedDeadLetter ToRecord(DeadLetter deadLetter)
        => new(_systemId, deadLetter.Target, deadLetter.MessageType, SerializePayload(deadLetter.Message), deadLetter.Timestamp, deadLetter.ExpectsReply);

    private PersistedAudit ToRecord(AuditReport audit)
        => new(_systemId, audit.Timestamp, audit.TotalActors, audit.AliveActors, audit.StoppingActors, audit.RestartingActors, audit.RegistrySize, audit.RegistryOrphans, audit.RegistryDead, audit.DeadLettersCount);

    private readonly record struct PendingWrite(ValueTask Write, string Kind);

    /// <summary>The writes handed to the backend and not yet settled, oldest first.</summary>
    private sealed class InFlightWrites(LifecycleRecorder owner, int capacity)
    {
        private readonly Queue<PendingWrite> _writes = new(capacity);

        // The oldest write as a Task, once the loop had to wait on it next to new work: a ValueTask
        // may be consumed only once, so from then on the head is settled through this task.
        private Task? _oldest;

        public int Count => _writes.Count;

        public void Add(ValueTask write, string kind) => _writes.Enqueue(new PendingWrite(write, kind));

        public Task Oldest() => _oldest ??= _writes.Peek().Write.AsTask();

        /// <summary>Settles the writes at the head that have already finished.</summary>
        public async ValueTask SettleCompletedAsync()
        {
            while (_writes.Count > 0 && (_oldest?.IsCompleted ?? _writes.Peek().Write.IsCompleted))
            {
                await SettleOldestAsync().ConfigureAwait(false);
            }
        }

        /// <summary>Waits for the oldest writes until at most <paramref name="keep"/> remain.</summary>
        public async ValueTask DrainAsync(int keep)
        {
            while (_writes.Count > keep)
            {
                await SettleOldestAsync().ConfigureAwait(false);
            }
        }

        private async ValueTask SettleOldestAsync()
        {
            PendingWrite pending = _writes.Dequeue();
            Task? oldest = _oldest;
            _oldest = null;
            try
            {
                if (oldest is not null)
                {
                    await oldest.ConfigureAwait(false);
                }
                else
                {
                    await pending.Write.ConfigureAwait(false);
                }

                Interlocked.Increment(ref owner._recordsWritten);
            }
            catch (Exception ex)
            {
                owner.CountFailure(pending.Kind, ex);
            }
        }
    }
}

