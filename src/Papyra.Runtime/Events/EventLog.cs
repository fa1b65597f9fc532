namespace Papyra.Events;

/// <summary>
/// The recent lifecycle events of a system (a ring of bounded size) and the waiters of
/// <see cref="ActorSystem.WaitForEventAsync(Func{ActorEvent, bool}, TimeSpan?, CancellationToken)"/>.
/// </summary>
internal sealed class EventLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly ActorEvent[] _ring = new ActorEvent[capacity];
    private readonly List<Waiter> _waiters = [];
    private int _start;
    private int _count;
    private long _sequence;

    public long LastSequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Numbers and stores an event; <paramref name="persist"/> queues it for the store in the same order.</summary>
    public void Append(ActorEvent actorEvent, Action<ActorEvent>? persist = null)
    {
        lock (_gate)
        {
            actorEvent.Sequence = ++_sequence;

            // Persisted under the same lock that numbers it, so the store holds events in sequence order.
            persist?.Invoke(actorEvent);
            if (_count < _ring.Length)
            {
                _ring[(_start + _count) % _ring.Length] = actorEvent;
                _count++;
            }
            else
            {
                _ring[_start] = actorEvent;
                _start = (_start + 1) % _ring.Length;
            }

            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].TryMatch(actorEvent))
                {
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public IReadOnlyList<ActorEvent> Snapshot()
    {
        lock (_gate)
        {
            var copy = new ActorEvent[_count];
            for (int i = 0; i < _count; i++)
            {
                copy[i] = _ring[(_start + i) % _ring.Length];
            }

            return copy;
        }
    }

    public async Task<ActorEvent> WaitAsync(Func<ActorEvent, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(predicate);
        lock (_gate)
        {
            for (int i = 0; i < _count; i++)
            {
                if (waiter.TryMatch(_ring[(_start + i) % _ring.Length]))
                {
                    return waiter.Task.Result;
                }
            }

            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching actor event arrived within {timeout.TotalSeconds:0.###} s.");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Waiter(Func<ActorEvent, bool> predicate)
    {
        private readonly TaskCompletionSource<ActorEvent> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ActorEvent> Task => _completion.Task;

        public bool TryMatch(ActorEvent actorEvent)
        {
            try
            {
                if (!predicate(actorEvent))
                {
                    return false;
                }
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
                return true;
            }

            _completion.TrySetResult(actorEvent);
            return true;
        }
    }
}
