using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Papyra.Diagnostics;
using Papyra.Persistence.Redis.Codec;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>
/// One append in flight, and the source of the <see cref="ValueTask"/> its caller gets: completes
/// with the <c>XADD</c>. Its outcome (metrics, log, span, the payload's slab) is settled exactly once,
/// by whichever comes first: the backend noticing the write completed, or the caller observing it.
/// </summary>
/// <remarks>
/// No async state machine and no continuation per append: StackExchange.Redis completes its tasks
/// with asynchronous continuations, so one per append would cost a thread-pool hop per record and
/// halve pipelined throughput. The backend instead queues its appends in flight (<see cref="Next"/>),
/// watches the newest and settles every completed one from the oldest on
/// (<see cref="RedisStreamsPersistenceBackend"/>'s store part).
/// </remarks>
internal sealed class PendingAppend : IValueTaskSource
{
    // _state: the settling phase in its low bits, the record kind above them (one field, not two,
    // keeps the object, allocated per append, at 64 bytes).
    private const int Unsettled = 0;
    private const int Settling = 1;
    private const int Settled = 2;
    private const int PhaseMask = 3;
    private const int KindShift = 2;

    /// <summary>The next append in flight, in the backend's queue: set once, by the appender that queued it.</summary>
    public PendingAppend? Next;

    private readonly RedisStreamsPersistenceBackend _owner;
    private readonly Task<RedisValue> _write;
    private readonly PayloadSlab? _slab;
    private readonly int _bytes;
    private int _state;

    // The span while the append is unsettled (null when nobody traces); the failure once a failed
    // append is settled: one field for both, as for _state.
    private object? _spanOrFailure;

    public PendingAppend(RedisStreamsPersistenceBackend owner, Task<RedisValue> write, int bytes, PersistedRecordKind kind, PayloadSlab? slab, Activity? span)
    {
        _owner = owner;
        _write = write;
        _bytes = bytes;
        _state = (int)kind << KindShift;
        _slab = slab;
        _spanOrFailure = span;
    }

    /// <summary>The <c>XADD</c> (and, with replicated durability, its <c>WAIT</c>).</summary>
    public Task<RedisValue> Write => _write;

    /// <summary>The payload's slab, released once the append is settled as stored.</summary>
    public PayloadSlab? Slab => _slab;

    /// <summary>The payload's size in bytes.</summary>
    public int Bytes => _bytes;

    /// <summary>A placeholder that heads the backend's queue before any append: never settled.</summary>
    public static PendingAppend Head(RedisStreamsPersistenceBackend owner) => new(owner, Task.FromResult(RedisValue.Null), 0, default, null, null);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token)
    {
        Task<RedisValue> write = _write;
        return write.IsCompletedSuccessfully ? ValueTaskSourceStatus.Succeeded
            : write.IsCompleted ? ValueTaskSourceStatus.Faulted
            : ValueTaskSourceStatus.Pending;
    }

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        var suspension = new Suspension(continuation, state);
        ConfiguredTaskAwaitable<RedisValue>.ConfiguredTaskAwaiter awaiter = _write.ConfigureAwait(false).GetAwaiter();
        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
        {
            awaiter.OnCompleted(suspension.Resume);
        }
        else
        {
            awaiter.UnsafeOnCompleted(suspension.Resume);
        }
    }

    /// <inheritdoc/>
    public void GetResult(short token)
    {
        if (!_write.IsCompleted)
        {
            // A caller blocking on the ValueTask without awaiting it: wait, as the task itself would.
            ((IAsyncResult)_write).AsyncWaitHandle.WaitOne();
        }

        if ((Volatile.Read(ref _state) & PhaseMask) != Settled)
        {
            Settle();
        }

        if (Volatile.Read(ref _spanOrFailure) is { } spanOrFailure && spanOrFailure is IOException failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Records the outcome of the write, which has completed, once: <c>records_written</c>/<c>bytes_written</c> and the
    /// slab's release on success (Redis replied, so the command was sent and its payload is free), or
    /// <c>write_errors</c> and the log on failure (the slab is then left to the GC). A second caller
    /// waits for the first to finish, so whoever returns sees the outcome recorded.
    /// </summary>
    public void Settle()
    {
        if (!TryClaim())
        {
            var spin = default(SpinWait);
            while ((Volatile.Read(ref _state) & PhaseMask) != Settled)
            {
                spin.SpinOnce();
            }

            return;
        }

        try
        {
            if (_write.IsCompletedSuccessfully)
            {
                _slab?.Release();
                _owner.WriteSucceeded(1, _bytes);
            }

            SettleClaimed();
        }
        finally
        {
            MarkSettled();
        }
    }

    /// <summary>Claims the settling of this append (false when someone else did): follow with <see cref="SettleClaimed"/> and <see cref="MarkSettled"/>.</summary>
    public bool TryClaim()
    {
        int kind = Volatile.Read(ref _state) & ~PhaseMask;
        return Interlocked.CompareExchange(ref _state, kind | Settling, kind | Unsettled) == (kind | Unsettled);
    }

    /// <summary>
    /// Settles a claimed append except, when it was stored, its slab and metrics (counted by the
    /// caller): ends its span, or records the failure.
    /// </summary>
    public void SettleClaimed()
    {
        if (_spanOrFailure is null && _write.IsCompletedSuccessfully)
        {
            return;
        }

        var span = (Activity?)_spanOrFailure;
        if (_write.IsCompletedSuccessfully)
        {
            _spanOrFailure = null;
        }
        else
        {
            Exception cause = _write.Exception?.InnerException ?? new TaskCanceledException(_write);
            IOException failure = _owner.WriteFailed(cause, (PersistedRecordKind)((_state & ~PhaseMask) >> KindShift));
            PersistenceActivities.Fail(span, failure);
            Volatile.Write(ref _spanOrFailure, failure);
        }

        span?.Dispose();
    }

    /// <summary>Ends the settling: callers waiting in <see cref="Settle"/> return.</summary>
    public void MarkSettled() => Volatile.Write(ref _state, (_state & ~PhaseMask) | Settled);

    private sealed class Suspension(Action<object?> continuation, object? state)
    {
        public void Resume() => continuation(state);
    }
}
