using System.Buffers;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// A per-thread growable byte buffer the record writers encode into: a plain array with a length,
/// kept by the thread so an encoding does not allocate one. For an append it writes straight into the
/// free end of the thread's <see cref="PayloadSlab"/> (<see cref="RentOver"/>), moving to an array of
/// its own only when the entry outgrows that room.
/// </summary>
internal sealed class EncodeBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 512;

    // A buffer grown by one huge record is not kept for the thread's lifetime.
    private const int RetainedSize = 64 * 1024;

    [ThreadStatic]
    private static EncodeBuffer? t_current;

    // The thread's own array, and the one written now: the own array, or a slab's from _start.
    private byte[] _own = new byte[InitialSize];
    private byte[] _array;
    private int _start;

    private EncodeBuffer() => _array = _own;

    /// <summary>The bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>This thread's payload slab being filled (kept here: one thread-static lookup per append, not three).</summary>
    public PayloadSlab.Filler SlabFiller { get; } = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(_start, Length);

    /// <summary>This thread's buffer, as it is.</summary>
    public static EncodeBuffer Current => t_current ??= new EncodeBuffer();

    /// <summary>This thread's buffer, emptied, writing into its own array.</summary>
    public static EncodeBuffer Rent()
    {
        EncodeBuffer buffer = Current;
        if (buffer._own.Length > RetainedSize)
        {
            buffer._own = new byte[InitialSize];
        }

        buffer._array = buffer._own;
        buffer._start = 0;
        buffer.Length = 0;
        return buffer;
    }

    /// <summary>This thread's buffer, emptied, writing into <paramref name="array"/> from <paramref name="start"/> to its end.</summary>
    /// <param name="array">Memory nobody else uses from <paramref name="start"/> on (a slab's free end).</param>
    /// <param name="start">Where the written bytes start.</param>
    public void RentOver(byte[] array, int start)
    {
        _array = array;
        _start = start;
        Length = 0;
    }

    /// <summary>Whether the written bytes are still in <paramref name="array"/> from <paramref name="start"/> (they did not outgrow it).</summary>
    public bool IsOver(byte[] array, int start) => ReferenceEquals(_array, array) && _start == start;

    /// <summary>Room for at least <paramref name="size"/> bytes at the end of the written bytes.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_array.Length - _start - Length < size)
        {
            Grow(size);
        }

        return _array.AsSpan(_start + Length);
    }

    /// <inheritdoc/>
    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => GetSpan(Math.Max(sizeHint, 1));

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpan(Math.Max(sizeHint, 1));
        return _array.AsMemory(_start + Length);
    }

    /// <summary>Counts <paramref name="count"/> bytes written into the last span.</summary>
    public void Advance(int count) => Length += count;

    /// <summary>The written bytes as a new exact-size array.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    private void Grow(int size)
    {
        long needed = (long)Length + size;
        if (needed > Array.MaxLength)
        {
            throw new ArgumentException($"A record encodes to more than {Array.MaxLength} bytes.");
        }

        // Into the thread's own array (grown if need be), leaving the slab's room untouched beyond what was written.
        if (_own.Length < needed || ReferenceEquals(_array, _own))
        {
            int newSize = (int)Math.Min(Math.Max(needed, (long)_own.Length * 2), Array.MaxLength);
            byte[] grown = new byte[newSize];
            WrittenSpan.CopyTo(grown);
            _own = grown;
        }
        else
        {
            WrittenSpan.CopyTo(_own);
        }

        _array = _own;
        _start = 0;
    }
}
