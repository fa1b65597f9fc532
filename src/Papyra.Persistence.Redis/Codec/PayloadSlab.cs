namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Memory for the payloads of appends in flight: each thread copies its encoded entries one after
/// another into its current slab, and a slab goes back to a shared pool once every entry in it has
/// been acknowledged by Redis. Pooled slabs live long enough to leave the young GC generations, so
/// a deep pipeline of appends no longer allocates (and the GC no longer copies) an array per entry.
/// </summary>
/// <remarks>
/// A slab is reused only when all its entries were acknowledged: a reply means StackExchange.Redis
/// wrote the command and will not read its value again. An entry whose write failed is never
/// released, so its slab is simply left to the GC.
/// </remarks>
internal sealed class PayloadSlab
{
    /// <summary>The size of a slab: below the large object heap's threshold.</summary>
    public const int Size = 32 * 1024;

    /// <summary>Entries larger than this get an array of their own.</summary>
    public const int MaxEntrySize = Size / 4;

    // At most this many idle slabs are kept (4 MB); more are left to the GC.
    private const int MaxPooled = 128;

    private static readonly Stack<PayloadSlab> Pool = new();

    [ThreadStatic]
    private static PayloadSlab? t_current;

    private readonly byte[] _bytes = new byte[Size];

    private int _next;

    // One for the thread filling the slab while it is current, plus one per entry not yet released.
    private int _references = 1;

    /// <summary>Copies an encoded entry into this thread's slab.</summary>
    /// <param name="entry">The entry's bytes (at most <see cref="MaxEntrySize"/>).</param>
    /// <param name="slab">The slab to <see cref="Release"/> when Redis acknowledged the entry.</param>
    /// <returns>The copy.</returns>
    public static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> entry, out PayloadSlab slab)
    {
        slab = t_current ??= Rent();
        if (Size - slab._next < entry.Length)
        {
            // Full: the thread lets go of it and takes another.
            slab.Release();
            slab = t_current = Rent();
        }

        int start = slab._next;
        entry.CopyTo(slab._bytes.AsSpan(start));
        slab._next = start + entry.Length;
        Interlocked.Increment(ref slab._references);
        return slab._bytes.AsMemory(start, entry.Length);
    }

    /// <summary>Releases one entry (or the filling thread's hold); the last release returns the slab to the pool.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        _next = 0;
        _references = 1;
        lock (Pool)
        {
            if (Pool.Count < MaxPooled)
            {
                Pool.Push(this);
            }
        }
    }

    private static PayloadSlab Rent()
    {
        lock (Pool)
        {
            if (Pool.TryPop(out PayloadSlab? slab))
            {
                return slab;
            }
        }

        return new PayloadSlab();
    }
}
