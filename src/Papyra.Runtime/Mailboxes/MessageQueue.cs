namespace Papyra.Mailboxes;

/// <summary>
/// A lock-free multi-producer, single-consumer FIFO queue of (message, extra) pairs, made of linked
/// ring-buffer segments. Producers claim a slot with one compare-and-swap on the tail segment; the
/// single consumer (the actor's turn) reads without any interlocked operation. A full segment is
/// frozen and a segment twice its size is linked after it, so a queue that stays within its size
/// reuses one ring buffer forever and allocates nothing per message.
/// </summary>
/// <remarks>
/// The first segment is allocated on the first enqueue, so an actor that never receives a message
/// costs no buffer. The ring protocol is Vyukov's bounded queue with per-slot sequence numbers; the
/// freeze-then-link growth follows <c>ConcurrentQueue&lt;T&gt;</c>.
/// </remarks>
internal sealed class MessageQueue
{
    private const int InitialSegmentLength = 4;
    private const int MaxSegmentLength = 16384;

    private Segment? _head;
    private Segment? _tail;

    /// <summary>Whether a message is visible to the consumer (or about to be: a producer has claimed a slot).</summary>
    public bool HasItems
    {
        get
        {
            Segment? head = Volatile.Read(ref _head);
            if (head is null)
            {
                return false;
            }

            while (true)
            {
                if (head.HasItems)
                {
                    return true;
                }

                Segment? next = Volatile.Read(ref head.Next);
                if (next is null)
                {
                    return false;
                }

                head = next;
            }
        }
    }

    /// <summary>An approximate count of queued messages.</summary>
    public int Count
    {
        get
        {
            int count = 0;
            for (Segment? segment = Volatile.Read(ref _head); segment is not null; segment = Volatile.Read(ref segment.Next))
            {
                count += segment.ApproximateCount;
            }

            return count;
        }
    }

    /// <summary>Adds a message; never blocks, never fails.</summary>
    /// <param name="message">The message.</param>
    /// <param name="extra">The reply channel or marker travelling with it.</param>
    public void Enqueue(object message, object? extra)
    {
        while (true)
        {
            Segment? tail = Volatile.Read(ref _tail);
            if (tail is not null && tail.TryEnqueue(message, extra))
            {
                return;
            }

            Grow(tail);
        }
    }

    /// <summary>Takes the oldest message. Only the consumer calls this.</summary>
    /// <param name="message">The message.</param>
    /// <param name="extra">The reply channel or marker travelling with it.</param>
    /// <returns><see langword="false"/> when no message is available yet.</returns>
    public bool TryDequeue(out object? message, out object? extra)
    {
        Segment? head = _head;
        while (head is not null)
        {
            if (head.TryDequeue(out message, out extra))
            {
                return true;
            }

            // A segment with a successor is frozen: once every claimed slot is consumed it is done.
            Segment? next = Volatile.Read(ref head.Next);
            if (next is null || !head.IsDrainedAfterFreeze)
            {
                break;
            }

            Volatile.Write(ref _head, next);
            head = next;
        }

        message = null;
        extra = null;
        return false;
    }

    private void Grow(Segment? observedTail)
    {
        lock (this)
        {
            if (!ReferenceEquals(_tail, observedTail))
            {
                return;
            }

            if (observedTail is null)
            {
                var first = new Segment(InitialSegmentLength);
                Volatile.Write(ref _head, first);
                Volatile.Write(ref _tail, first);
                return;
            }

            observedTail.Freeze();
            var next = new Segment(Math.Min(observedTail.Length * 2, MaxSegmentLength));
            Volatile.Write(ref observedTail.Next, next);
            Volatile.Write(ref _tail, next);
        }
    }

    private sealed class Segment
    {
        private readonly Slot[] _slots;
        private readonly int _mask;
        private int _tail;
        private int _head;
        private int _frozenTail;
        private volatile bool _isFrozen;

        public Segment? Next;

        public Segment(int length)
        {
            _slots = new Slot[length];
            _mask = length - 1;
            for (int i = 0; i < length; i++)
            {
                _slots[i].Sequence = i;
            }
        }

        public int Length => _slots.Length;

        public bool HasItems
        {
            get
            {
                int tail = _isFrozen ? Volatile.Read(ref _frozenTail) : Volatile.Read(ref _tail);
                return tail != Volatile.Read(ref _head);
            }
        }

        public int ApproximateCount
        {
            get
            {
                int tail = _isFrozen ? Volatile.Read(ref _frozenTail) : Volatile.Read(ref _tail);
                return Math.Max(0, tail - Volatile.Read(ref _head));
            }
        }

        public bool IsDrainedAfterFreeze => _isFrozen && _head == Volatile.Read(ref _frozenTail);

        public bool TryEnqueue(object message, object? extra)
        {
            Slot[] slots = _slots;
            while (true)
            {
                int tail = Volatile.Read(ref _tail);
                ref Slot slot = ref slots[tail & _mask];
                int difference = Volatile.Read(ref slot.Sequence) - tail;
                if (difference == 0)
                {
                    if (Interlocked.CompareExchange(ref _tail, tail + 1, tail) == tail)
                    {
                        slot.Message = message;
                        slot.Extra = extra;
                        Volatile.Write(ref slot.Sequence, tail + 1);
                        return true;
                    }
                }
                else if (difference < 0)
                {
                    // Full, or frozen: the freeze moved the tail out of step with every slot.
                    return false;
                }
            }
        }

        public bool TryDequeue(out object? message, out object? extra)
        {
            int head = _head;
            ref Slot slot = ref _slots[head & _mask];
            if (Volatile.Read(ref slot.Sequence) != head + 1)
            {
                message = null;
                extra = null;
                return false;
            }

            message = slot.Message;
            extra = slot.Extra;
            slot.Message = null;
            slot.Extra = null;
            Volatile.Write(ref slot.Sequence, head + _slots.Length);
            Volatile.Write(ref _head, head + 1);
            return true;
        }

        public void Freeze()
        {
            // Adding twice the length keeps the index on the same slot but breaks the
            // sequence match, so every later compare-and-swap of a producer fails.
            int before = Interlocked.Add(ref _tail, _slots.Length * 2) - (_slots.Length * 2);
            Volatile.Write(ref _frozenTail, before);
            _isFrozen = true;
        }

        private struct Slot
        {
            public object? Message;
            public object? Extra;
            public int Sequence;
        }
    }
}
