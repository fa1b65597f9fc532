using System.Buffers;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// A per-thread growable byte buffer the record writers encode into before the entry's bytes are
/// copied into a <see cref="PayloadSlab"/> or an exact-size array: a plain array with a length, kept
/// by the thread so an append does not allocate one.
/// </summary>
internal sealed class EncodeBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 512;

    // A buffer grown by one huge record is not kept for the thread's lifetime.
    private const int RetainedSize = 64 * 1024;

    [ThreadStatic]
    private static EncodeBuffer? t_current;

    private byte[] _array = new byte[InitialSize];

    /// <summary>The bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>This thread's buffer, emptied.</summary>
    public static EncodeBuffer Rent()
    {
        EncodeBuffer buffer = t_current ??= new EncodeBuffer();
        if (buffer._array.Length > RetainedSize)
        {
            buffer._array = new byte[InitialSize];
        }

        buffer.Length = 0;
        return buffer;
    }

    /// <summary>Room for at least <paramref name="size"/> bytes at the end of the written bytes.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_array.Length - Length < size)
        {
            Grow(size);
        }

        return _array.AsSpan(Length);
    }

    /// <inheritdoc/>
    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => GetSpan(Math.Max(sizeHint, 1));

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpan(Math.Max(sizeHint, 1));
        return _array.AsMemory(Length);
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

        int newSize = (int)Math.Min(Math.Max(needed, (long)_array.Length * 2), Array.MaxLength);
        Array.Resize(ref _array, newSize);
    }
}
