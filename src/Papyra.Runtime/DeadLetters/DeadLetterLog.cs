namespace Papyra.DeadLetters;

/// <summary>
/// The recent dead letters of a system (a ring of bounded size), their total count, and the
/// hand-off of each to the hooks and the store until the log is sealed at shutdown.
/// </summary>
/// <remarks>
/// The hand-off runs under the same lock as the count, and <see cref="Seal"/> takes that lock:
/// once it returns, every dead letter counted before it has been handed to <c>record</c> (so a
/// shutdown that closes the hooks and the store after sealing loses none), and every later one is
/// counted as late and handed to nobody. It also gives the hooks and the store the dead letters
/// in the order they were counted.
/// </remarks>
internal sealed class DeadLetterLog(int capacity, Action<DeadLetter>? record)
{
    private readonly Lock _gate = new();
    private readonly DeadLetter[] _ring = new DeadLetter[capacity];
    private int _start;
    private int _count;
    private long _total;
    private long _late;
    private bool _sealed;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>How many dead letters came after <see cref="Seal"/>: counted and kept, but not recorded.</summary>
    public long Late => Interlocked.Read(ref _late);

    public void Append(DeadLetter deadLetter) => Append(deadLetter, counted: true);

    /// <summary>Keeps and hands on a <see cref="DeadLetterSummary"/> without counting it: its messages were counted when refused.</summary>
    public void AppendSummary(DeadLetter summary) => Append(summary, counted: false);

    private void Append(DeadLetter deadLetter, bool counted)
    {
        lock (_gate)
        {
            if (counted)
            {
                _total++;
            }

            if (_count < _ring.Length)
            {
                _ring[(_start + _count) % _ring.Length] = deadLetter;
                _count++;
            }
            else
            {
                _ring[_start] = deadLetter;
                _start = (_start + 1) % _ring.Length;
            }

            if (_sealed)
            {
                _late += counted ? 1 : 0;
            }
            else
            {
                record?.Invoke(deadLetter);
            }
        }
    }

    /// <summary>Stops handing dead letters on; returns when every one counted so far has been handed on.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            _sealed = true;
        }
    }

    public IReadOnlyList<DeadLetter> Snapshot()
    {
        lock (_gate)
        {
            var copy = new DeadLetter[_count];
            for (int i = 0; i < _count; i++)
            {
                copy[i] = _ring[(_start + i) % _ring.Length];
            }

            return copy;
        }
    }
}
