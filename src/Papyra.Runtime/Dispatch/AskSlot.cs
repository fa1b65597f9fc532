using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Tasks.Sources;

namespace Papyra.Dispatch;

/// <summary>
/// A pooled, reusable <see cref="IValueTaskSource{TResult}"/> for one ask at a time, with its own
/// reusable timer, so an ask allocates nothing in steady state.
/// </summary>
/// <remarks>
/// Two parties hold the slot: the asker (released when it reads the result) and the actor side
/// (released when the message was answered, failed or dead-lettered). The slot returns to the pool
/// when both let go, so a late reply can never land in a slot that serves a newer ask.
/// </remarks>
/// <typeparam name="T">The reply type.</typeparam>
internal sealed class AskSlot<T> : ReplyChannel, IValueTaskSource<T>
{
    private const int Pending = 0;
    private const int Done = 1;
    private const int MaxPooled = 4096;

    private static readonly ConcurrentQueue<AskSlot<T>> Pool = new();
    private static int s_pooled;

    [ThreadStatic]
    private static AskSlot<T>? t_cached;

    private ManualResetValueTaskSourceCore<T> _core;
    private int _state = Done;
    private int _owners;
    private ITimer? _timer;
    private TimeProvider? _timerProvider;
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
        Volatile.Write(ref _state, Pending);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            TimeProvider provider = system.TimeProvider;
            _deadline = provider.GetTimestamp() + (long)(timeout.TotalSeconds * provider.TimestampFrequency);
            if (_timer is null || !ReferenceEquals(_timerProvider, provider))
            {
                _timer?.Dispose();
                _timerProvider = provider;
                _timer = provider.CreateTimer(static state => ((AskSlot<T>)state!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            _timer.Change(timeout, Timeout.InfiniteTimeSpan);
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
        if (Interlocked.CompareExchange(ref _state, Done, Pending) != Pending)
        {
            return false;
        }

        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        _cancellation.Unregister();
        _cancellation = default;
        return true;
    }

    private void OnTimeout()
    {
        TimeProvider? provider = _timerProvider;
        if (provider is null || provider.GetTimestamp() < Volatile.Read(ref _deadline))
        {
            // A callback of an earlier use of this slot, or an early tick: not this ask's timeout.
            return;
        }

        object? message = _message;
        ActorAddress target = _target;
        TimeSpan timeout = _timeout;
        if (TryFinish())
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
