namespace Papyra.DeadLetters;

/// <summary>The recent dead letters of a system (a ring of bounded size) and their total count.</summary>
internal sealed class DeadLetterLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly DeadLetter[] _ring = new DeadLetter[capacity];
    private int _start;
    private int _count;
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Append(DeadLetter deadLetter)
    {
        lock (_gate)
        {
            _total++;
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
