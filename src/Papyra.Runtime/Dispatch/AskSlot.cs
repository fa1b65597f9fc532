using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Tasks.Sources;

namespace Papyra.Dispatch;

/// <summary>
/// A pooled, reusable <see cref="IValueTaskSource{TResult}"/> for one ask at a time, with its own
/// reusable timer, so an ask allocates nothing in steady state.
/// </summary>
/// <remarks>
/// <para>
/// Two parties hold the slot: the asker (released when it reads the result) and the actor side
/// (released when the message was answered, failed or dead-lettered). The slot returns to the pool
/// when both let go, so a late reply can never land in a slot that serves a newer ask.
/// </para>
/// <para>
/// The timer is armed lazily: an answered ask leaves it running, and the next ask on the slot
/// re-arms it only when it must fire earlier than it already will. When it fires, a finished ask
/// is ignored and a pending ask whose deadline is still ahead re-arms it for the rest. Arming and
/// disarming a <see cref="ITimer"/> takes the timer queue's lock and reads the clock; doing it
/// twice per ask cost 40 % of a request/response round trip. Each ask gets a ticket in
/// <c>_state</c>, so a timer tick or a cancellation can only finish the ask it was meant for.
/// </para>
/// </remarks>
/// <typeparam name="T">The reply type.</typeparam>
internal sealed class AskSlot<T> : ReplyChannel, IValueTaskSource<T>
{
    private const int PendingBit = 1;
    private const long NoDeadline = long.MaxValue;
    private const int MaxPooled = 4096;

    private static readonly ConcurrentQueue<AskSlot<T>> Pool = new();

    // The longest a timer is set for at once; ITimer rejects due times beyond about 49.7 days.
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(1);
    private static int s_pooled;

    [ThreadStatic]
    private static AskSlot<T>? t_cached;

    private ManualResetValueTaskSourceCore<T> _core;

    // (ticket << 1) | PendingBit while an ask waits; the ticket alone once it finished.
    private int _state;
    private int _owners;
    private ITimer? _timer;
    private TimeProvider? _timerProvider;

    // When the armed timer fires, in the provider's timestamp units; 0 when it is not armed.
    private long _armedDue;
    private long _deadline;
    private CancellationTokenRegistration _cancellation;
    private ActorSystem? _system;
    private ActorAddress _target;
    private object? _message;
    private TimeSpan _timeout;
    private int _renter;

    private AskSlot()
    {
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>The version to put in the <see cref="ValueTask{TResult}"/>.</summary>
    public short Version => _core.Version;

    /// <summary>Takes a slot from the pool (or a new one).</summary>
    /// <returns>A slot ready to be armed.</returns>
    public static AskSlot<T> Rent()
    {
        AskSlot<T>? slot = t_cached;
        if (slot is not null)
        {
            t_cached = null;
            return slot;
        }

        if (Pool.TryDequeue(out slot))
        {
            Interlocked.Decrement(ref s_pooled);
            return slot;
        }

        return new AskSlot<T>();
    }

    /// <summary>Prepares the slot for one ask.</summary>
    /// <param name="system">The system, for counting late replies.</param>
    /// <param name="target">The actor asked.</param>
    /// <param name="message">The message, for the timeout message.</param>
    /// <param name="timeout">The timeout; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public void Arm(ActorSystem system, ActorAddress target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _renter = Environment.CurrentManagedThreadId;
        _system = system;
        _target = target;
        _message = message;
        _timeout = timeout;
        _owners = 2;
        TimeProvider provider = system.TimeProvider;
        _deadline = DeadlineOf(provider, timeout);

        // A full fence: the pending state must be visible before the timer's state is read below,
        // or a tick that just found nothing pending could leave this ask without a timer.
        Interlocked.Exchange(ref _state, ((_state >> 1) + 1) << 1 | PendingBit);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            EnsureTimer(provider, timeout);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((AskSlot<T>)state!).OnCanceled(token), this);
        }
    }

    /// <inheritdoc/>
    public override void Complete(object? result)
    {
        if (TryFinish())
        {
            if (result is T value)
            {
                _core.SetResult(value);
            }
            else if (result is null && default(T) is null)
            {
                _core.SetResult(default!);
            }
            else
            {
                _core.SetException(new InvalidCastException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The reply of {_target} to {_message?.GetType().Name} is {(result is null ? "null" : result.GetType().FullName)}, which is not the {typeof(T).FullName} the ask expected.")));
            }
        }
        else
        {
            _system?.CountLateReply();
        }

        Release();
    }

    /// <inheritdoc/>
    public override void Fail(Exception exception)
    {
        if (TryFinish())
        {
            _core.SetException(exception);
        }
        else
        {
            _system?.CountLateReply();
        }

        Release();
    }

    /// <inheritdoc/>
    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Release();
        }
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    private bool TryFinish()
    {
        int state = Volatile.Read(ref _state);
        return (state & PendingBit) != 0 && TryFinish(state);
    }

    private bool TryFinish(int pendingState)
    {
        if (Interlocked.CompareExchange(ref _state, pendingState & ~PendingBit, pendingState) != pendingState)
        {
            return false;
        }

        // The timer stays armed (see the remarks); only the cancellation registration goes.
        _cancellation.Unregister();
        _cancellation = default;
        return true;
    }

    // NoDeadline for an ask without a timeout; a timeout too long to represent saturates just below it.
    private static long DeadlineOf(TimeProvider provider, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return NoDeadline;
        }

        long now = provider.GetTimestamp();
        double ticks = timeout.TotalSeconds * provider.TimestampFrequency;
        return ticks >= NoDeadline - 1 - now ? NoDeadline - 1 : now + (long)ticks;
    }

    private static long StampAfter(TimeProvider provider, TimeSpan delay)
        => provider.GetTimestamp() + (long)(delay.TotalSeconds * provider.TimestampFrequency);

    private void EnsureTimer(TimeProvider provider, TimeSpan timeout)
    {
        if (_timer is null || !ReferenceEquals(_timerProvider, provider))
        {
            _timer?.Dispose();
            _timerProvider = provider;
            Volatile.Write(ref _armedDue, 0);
            _timer = provider.CreateTimer(static state => ((AskSlot<T>)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        long deadline = _deadline;
        bool clamped = timeout > MaxTimerDue;
        while (true)
        {
            long due = Volatile.Read(ref _armedDue);
            if (due != 0 && due <= deadline)
            {
                // It fires no later than this ask's deadline; OnTimer re-arms it for the rest.
                return;
            }

            // A timer cannot be set beyond about 49 days: a longer timeout fires early and OnTimer re-arms.
            if (Interlocked.CompareExchange(ref _armedDue, clamped ? StampAfter(provider, MaxTimerDue) : deadline, due) == due)
            {
                _timer.Change(clamped ? MaxTimerDue : timeout, Timeout.InfiniteTimeSpan);
                return;
            }
        }
    }

    private void OnTimer()
    {
        TimeProvider? provider = _timerProvider;
        ITimer? timer = _timer;
        Interlocked.Exchange(ref _armedDue, 0);
        int state = Volatile.Read(ref _state);
        if (provider is null || timer is null || (state & PendingBit) == 0)
        {
            // Nothing waits; the next ask arms the timer again.
            return;
        }

        // Arm writes the deadline before it publishes the ticket, so this is the deadline of the
        // ask read above or of a newer one (later, so the timer is re-armed and nothing fails).
        long deadline = Volatile.Read(ref _deadline);
        if (deadline == NoDeadline)
        {
            // A newer ask without a timeout took the slot: nothing to time.
            return;
        }

        long remaining = deadline - provider.GetTimestamp();
        if (remaining > 0)
        {
            TimeSpan rest = TimeSpan.FromSeconds(remaining / (double)provider.TimestampFrequency) + TimeSpan.FromTicks(1);
            if (rest > MaxTimerDue)
            {
                rest = MaxTimerDue;
            }

            if (Interlocked.CompareExchange(ref _armedDue, StampAfter(provider, rest), 0) == 0)
            {
                timer.Change(rest, Timeout.InfiniteTimeSpan);
            }

            return;
        }

        object? message = _message;
        ActorAddress target = _target;
        TimeSpan timeout = _timeout;
        if (TryFinish(state))
        {
            _core.SetException(new AskTimeoutException(string.Create(
                CultureInfo.InvariantCulture,
                $"The ask of {message?.GetType().Name ?? "a message"} to {target} timed out after {timeout.TotalSeconds:0.###} s.")));
        }
    }

    private void OnCanceled(CancellationToken token)
    {
        if (TryFinish())
        {
            _core.SetException(new OperationCanceledException(token));
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0)
        {
            return;
        }

        _core.Reset();
        _system = null;
        _message = null;

        // The per-thread cache only serves the thread that asked; a slot released last by the
        // replying actor's thread goes to the shared pool, where the asker finds it next time.
        if (t_cached is null && _renter == Environment.CurrentManagedThreadId)
        {
            t_cached = this;
        }
        else if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref s_pooled);
            _timer?.Dispose();
        }
    }
}
