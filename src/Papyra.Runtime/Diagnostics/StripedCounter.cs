using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Papyra.Diagnostics;

/// <summary>
/// A counter incremented on hot paths by many threads at once: each thread adds to one of a few
/// cache-line-padded cells, so increments do not contend; reads sum the cells.
/// </summary>
internal sealed class StripedCounter
{
    private readonly Cell[] _cells = new Cell[Math.Max(1, (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount)))];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment()
    {
        int index = Environment.CurrentManagedThreadId & (_cells.Length - 1);
        Interlocked.Increment(ref _cells[index].Value);
    }

    public long Read()
    {
        long total = 0;
        for (int i = 0; i < _cells.Length; i++)
        {
            total += Volatile.Read(ref _cells[i].Value);
        }

        return total;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Cell
    {
        [FieldOffset(64)]
        public long Value;
    }
}
