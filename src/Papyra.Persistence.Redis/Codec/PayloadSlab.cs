namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Memory for the payloads of appends in flight: each thread encodes (or copies) its entries one after
/// another into its current slab, and a slab goes back to a shared pool once every entry in it has
/// been acknowledged by Redis. Pooled slabs live long enough to leave the young GC generations, so
/// a deep pipeline of appends no longer allocates (and the GC no longer copies) an array per entry.
/// </summary>
/// <remarks>
/// <para>
/// A slab is reused only when all its entries were acknowledged: a reply means StackExchange.Redis
/// wrote the command and will not read its value again. An entry whose write failed is never
/// released, so its slab is simply left to the GC.
/// </para>
/// <para>
/// The filling thread counts its entries in its own state, not in the slab: the slab's only shared
/// field is the count of releases, which the threads settling appends decrement. When the filler lets
/// go of the slab it adds the entries it put in; whichever brings the count to zero (that addition,
/// or the last release after it) returns the slab. Before the addition the count is zero or below,
/// so no release can return a slab that is still being filled.
/// </para>
/// </remarks>
internal sealed class PayloadSlab
{
    /// <summary>The size of a slab: below the large object heap's threshold.</summary>
    public const int Size = 32 * 1024;

    /// <summary>Entries larger than this get an array of their own, unless they were encoded in the room left in a slab.</summary>
    public const int MaxEntrySize = Size / 4;

    // An entry is encoded straight into the slab when at least this much room is left; with less,
    // the thread takes a fresh slab first (an entry that outgrows the room is encoded aside and copied).
    private const int MinRoom = 1024;

    // At most this many idle slabs are kept (4 MB); more are left to the GC.
    private const int MaxPooled = 128;

    private static readonly Stack<PayloadSlab> Pool = new();

    private readonly byte[] _bytes = new byte[Size];

    // Entries the filler added when it let go, minus the entries released (below zero until then).
    private int _references;

    /// <summary>
    /// Points <paramref name="buffer"/> at the free end of this thread's slab, so an entry is encoded
    /// in place; <see cref="Commit"/> then takes it.
    /// </summary>
    /// <param name="buffer">This thread's encode buffer.</param>
    public static void BeginEntry(EncodeBuffer buffer)
    {
        Filler filler = buffer.SlabFiller;
        if (filler.Slab is null || Size - filler.Next < MinRoom)
        {
            filler.Replace();
        }

        buffer.RentOver(filler.Slab!._bytes, filler.Next);
    }

    /// <summary>
    /// Takes the entry just encoded into <paramref name="buffer"/> (after <see cref="BeginEntry"/>): in
    /// place when it fit in the slab's room, else copied into a slab, or into an array of its own when
    /// it is larger than <see cref="MaxEntrySize"/>.
    /// </summary>
    /// <param name="buffer">The encode buffer holding the entry.</param>
    /// <param name="slab">The slab to <see cref="Release()"/> when Redis acknowledged the entry; <see langword="null"/> when the entry has its own array.</param>
    /// <returns>The entry's bytes.</returns>
    public static ReadOnlyMemory<byte> Commit(EncodeBuffer buffer, out PayloadSlab? slab)
    {
        Filler filler = buffer.SlabFiller;
        PayloadSlab current = filler.Slab!;
        if (buffer.IsOver(current._bytes, filler.Next))
        {
            int start = filler.Next;
            filler.Next = start + buffer.Length;
            filler.Entries++;
            slab = current;
            return current._bytes.AsMemory(start, buffer.Length);
        }

        if (buffer.Length > MaxEntrySize)
        {
            slab = null;
            return buffer.ToArray();
        }

        ReadOnlyMemory<byte> copy = Copy(filler, buffer.WrittenSpan, out PayloadSlab pooled);
        slab = pooled;
        return copy;
    }

    /// <summary>Copies an encoded entry into this thread's slab.</summary>
    /// <param name="entry">The entry's bytes (at most <see cref="MaxEntrySize"/>).</param>
    /// <param name="slab">The slab to <see cref="Release()"/> when Redis acknowledged the entry.</param>
    /// <returns>The copy.</returns>
    public static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> entry, out PayloadSlab slab) => Copy(EncodeBuffer.Current.SlabFiller, entry, out slab);

    private static ReadOnlyMemory<byte> Copy(Filler filler, ReadOnlySpan<byte> entry, out PayloadSlab slab)
    {
        if (filler.Slab is null || Size - filler.Next < entry.Length)
        {
            // Full: the thread lets go of it and takes another.
            filler.Replace();
        }

        slab = filler.Slab!;
        int start = filler.Next;
        entry.CopyTo(slab._bytes.AsSpan(start));
        filler.Next = start + entry.Length;
        filler.Entries++;
        return slab._bytes.AsMemory(start, entry.Length);
    }

    /// <summary>Releases one entry; the last release (once the filler let go) returns the slab to the pool.</summary>
    public void Release() => Release(1);

    /// <summary>Releases <paramref name="entries"/> entries at once.</summary>
    /// <param name="entries">How many of the slab's entries were acknowledged.</param>
    public void Release(int entries)
    {
        if (Interlocked.Add(ref _references, -entries) == 0)
        {
            Return();
        }
    }

    private void Return()
    {
        _references = 0;
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

    /// <summary>A thread's slab being filled, where its free room starts and how many entries it holds (kept by the thread's <see cref="EncodeBuffer"/>).</summary>
    internal sealed class Filler
    {
        public PayloadSlab? Slab;
        public int Next;
        public int Entries;

        /// <summary>Takes another slab, then lets go of the current one (adding its entries to its count).</summary>
        public void Replace()
        {
            PayloadSlab? full = Slab;
            int entries = Entries;
            Slab = Rent();
            Next = 0;
            Entries = 0;
            if (full is not null && Interlocked.Add(ref full._references, entries) == 0)
            {
                full.Return();
            }
        }
    }
}
