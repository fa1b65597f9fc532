using Papyra.Persistence;

namespace Papyra.Events;

/// <summary>
/// The recent lifecycle events of a system (a ring of bounded size) and the waiters of
/// <see cref="ActorSystem.WaitForEventAsync(Func{ActorEvent, bool}, TimeSpan?, CancellationToken)"/>.
/// </summary>
internal sealed class EventLog(int capacity)
{
    // The ring's length is a power of two at or above the capacity (a mask, not a 64-bit division,
    // per event); at most the capacity's worth of it is ever read (Snapshot).
    private const int MaxRingLength = 1 << 30;

    private readonly Lock _gate = new();
    private readonly ActorEvent?[] _ring = new ActorEvent?[RingLength(capacity)];
    private readonly int _capacity = capacity;
    private readonly List<Waiter> _waiters = [];
    private readonly EventSequence _counter = new();
    private int _waiterCount;
    private Action<ActorEvent>? _number;

    public long LastSequence => Volatile.Read(ref _counter.Value);

    /// <summary>The counter that numbers events, for a store that orders its lines by it.</summary>
    public EventSequence Counter => _counter;

    /// <summary>Numbers and stores an event; <paramref name="persist"/> queues it for the store in the same order.</summary>
    /// <remarks>
    /// With no store and nobody waiting, an event takes no lock: its number from one atomic
    /// increment, its ring slot written with a compare-and-swap (a full fence) unless a newer
    /// event already holds it. The actors stopping on several threads used to queue on this lock.
    /// A store needs its records in sequence order, and a waiter the first matching event, so
    /// then the lock numbers, persists and matches in one step, as before.
    /// </remarks>
    public void Append(ActorEvent actorEvent, Action<ActorEvent>? persist = null)
    {
        if (persist is null)
        {
            long sequence = Interlocked.Increment(ref _counter.Value);
            actorEvent.Sequence = sequence;
            Store(actorEvent, sequence);

            // A waiter counts itself before it looks at the ring; this reads the count after the
            // slot's full fence, so either the waiter finds the event in the ring or this finds
            // the waiter.
            if (Volatile.Read(ref _waiterCount) != 0)
            {
                lock (_gate)
                {
                    MatchWaitersLocked(actorEvent);
                }
            }

            return;
        }

        lock (_gate)
        {
            long sequence = Interlocked.Increment(ref _counter.Value);
            actorEvent.Sequence = sequence;

            // Persisted under the same lock that numbers it, so the store holds events in sequence order.
            persist.Invoke(actorEvent);
            Store(actorEvent, sequence);
            MatchWaitersLocked(actorEvent);
        }
    }

    /// <summary>
    /// Numbers and stores an event that <paramref name="persist"/> writes to a store numbering it
    /// under the store's own lock (see <see cref="Recording.LifecycleRecorder.PersistAndNumber"/>): no lock
    /// here, as with no store. An event the store did not number is numbered after it.
    /// </summary>
    public void AppendNumberedBy(ActorEvent actorEvent, Action<ActorEvent, Action<ActorEvent>> persist)
    {
        persist(actorEvent, _number ??= e => e.Sequence = Interlocked.Increment(ref _counter.Value));
        long sequence = actorEvent.Sequence;
        if (sequence == 0)
        {
            sequence = Interlocked.Increment(ref _counter.Value);
            actorEvent.Sequence = sequence;
        }

        Store(actorEvent, sequence);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            lock (_gate)
            {
                MatchWaitersLocked(actorEvent);
            }
        }
    }

    /// <summary>
    /// Stores an event without a lock, as with no store, numbered by <paramref name="persist"/>: a
    /// store attached to <see cref="Counter"/> takes the next number as it places the event's line
    /// (as late as it can, since a line copied late holds up the ones after it) and keeps its lines
    /// in number order itself.
    /// </summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AppendNumbered(ActorEvent actorEvent, Func<ActorEvent, long> persist)
    {
        long sequence = persist(actorEvent);
        actorEvent.Sequence = sequence;
        Store(actorEvent, sequence);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            lock (_gate)
            {
                MatchWaitersLocked(actorEvent);
            }
        }
    }

    public IReadOnlyList<ActorEvent> Snapshot()
    {
        long last = Volatile.Read(ref _counter.Value);
        long first = Math.Max(1, last - Math.Min(_capacity, _ring.Length) + 1);
        var copy = new List<ActorEvent>((int)(last - first + 1));
        for (long sequence = first; sequence <= last; sequence++)
        {
            // An event still being stored, or already replaced by a newer one, is left out.
            ActorEvent? stored = Volatile.Read(ref _ring[SlotOf(sequence)]);
            if (stored is not null && stored.Sequence == sequence)
            {
                copy.Add(stored);
            }
        }

        return copy;
    }

    public async Task<ActorEvent> WaitAsync(Func<ActorEvent, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(predicate);
        lock (_gate)
        {
            Interlocked.Increment(ref _waiterCount);
            foreach (ActorEvent recent in Snapshot())
            {
                if (waiter.TryMatch(recent))
                {
                    Interlocked.Decrement(ref _waiterCount);
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
                Interlocked.Decrement(ref _waiterCount);
            }
        }
    }

    private static int RingLength(int capacity) => (int)Math.Min(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity), MaxRingLength);

    // Consecutive numbers go to slots 1/8 of the ring apart (the low three bits of the number pick
    // the eighth): events emitted together on two cores then do not write the same cache line.
    private int SlotOf(long sequence)
    {
        int length = _ring.Length;
        int index = (int)((sequence - 1) & (length - 1));
        if (length < 64)
        {
            return index;
        }

        int shift = System.Numerics.BitOperations.Log2((uint)length) - 3;
        return ((index & 7) << shift) | (index >> 3);
    }

    private void Store(ActorEvent actorEvent, long sequence)
    {
        ref ActorEvent? slot = ref _ring[SlotOf(sequence)];
        ActorEvent? current = Volatile.Read(ref slot);
        while (current is null || current.Sequence < sequence)
        {
            ActorEvent? seen = Interlocked.CompareExchange(ref slot, actorEvent, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }

        // A newer event took the slot first (a ring of a few slots, several threads): this one is already out of the window.
        Interlocked.MemoryBarrier();
    }

    private void MatchWaitersLocked(ActorEvent actorEvent)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].TryMatch(actorEvent))
            {
                _waiters.RemoveAt(i);
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
