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
    // of one each. The window bounds memory; a flush marker or an empty queue drains it.
    private const int MaxWritesInFlight = 256;

    private async Task RunAsync()
    {
        var inFlight = new Queue<PendingWrite>(MaxWritesInFlight);
        ChannelReader<object> reader = _queue.Reader;
        while (true)
        {
            if (!reader.TryRead(out object? item))
            {
                await DrainAsync(inFlight, keep: 0).ConfigureAwait(false);
                if (!await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            if (item is TaskCompletionSource marker)
            {
                await DrainAsync(inFlight, keep: 0).ConfigureAwait(false);
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
                continue;
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
                continue;
            }

            inFlight.Enqueue(new PendingWrite(write, item.GetType().Name));
            if (inFlight.Count >= MaxWritesInFlight)
            {
                await DrainAsync(inFlight, keep: MaxWritesInFlight / 2).ConfigureAwait(false);
            }
        }

        await DrainAsync(inFlight, keep: 0).ConfigureAwait(false);
    }

    private async ValueTask DrainAsync(Queue<PendingWrite> inFlight, int keep)
    {
        while (inFlight.Count > keep)
        {
            PendingWrite pending = inFlight.Dequeue();
            try
            {
                await pending.Write.ConfigureAwait(false);
                Interlocked.Increment(ref _recordsWritten);
            }
            catch (Exception ex)
            {
                CountFailure(pending.Kind, ex);
            }
        }
    }

    private void CountFailure(string kind, Exception ex)
    {
        long errors = Interlocked.Increment(ref _writeErrors);
        _logger.LogError(ex, "Persisting a {Kind} to backend {Backend} failed ({Errors} write errors so far); the actor system carries on.", kind, _backend.Name, errors);
    }

    private PersistedEvent ToRecord(ActorEvent actorEvent)
    {
        Dictionary<string, string>? payload = actorEvent switch
        {
            ActorCrashed crashed => new() { ["error"] = crashed.Reason, ["reason"] = crashed.Reason },
            ActorRestarted restarted => new() { ["reason"] = restarted.Reason },
            ActorStopped stopped => new() { ["reason"] = stopped.Reason },
            _ => null,
        };
        JsonElement? element = payload is null ? null : JsonSerializer.SerializeToElement(payload);
        return new PersistedEvent(_systemId, actorEvent.Address, actorEvent.EventType, element, actorEvent.Timestamp);
    }

    private PersistedDeadLetter ToRecord(DeadLetter deadLetter)
        => new(_systemId, deadLetter.Target, deadLetter.MessageType, SerializePayload(deadLetter.Message), deadLetter.Timestamp, deadLetter.ExpectsReply);

    private PersistedAudit ToRecord(AuditReport audit)
        => new(_systemId, audit.Timestamp, audit.TotalActors, audit.AliveActors, audit.StoppingActors, audit.RestartingActors, audit.RegistrySize, audit.RegistryOrphans, audit.RegistryDead, audit.DeadLettersCount);

    private readonly record struct PendingWrite(ValueTask Write, string Kind);
}
