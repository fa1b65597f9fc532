using System.Buffers;

namespace Papyra.Redis.Benchmarks.Baseline;

/// <summary>
/// A per-thread growable byte buffer the record writers encode into before the entry's exact-size
/// array is copied out. A plain array with a length: the writers reserve space and write into it
/// directly, without the per-call bookkeeping of a general <see cref="IBufferWriter{T}"/>.
/// It is also an <see cref="IBufferWriter{T}"/> for the rare values handed to a <c>Utf8JsonWriter</c>.
/// </summary>
internal sealed class HandWrittenEncodeBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 512;

    // A buffer grown by one huge record is not kept for the thread's lifetime.
    private const int RetainedSize = 64 * 1024;

    [ThreadStatic]
    private static HandWrittenEncodeBuffer? t_current;

    private byte[] _array = new byte[InitialSize];

    /// <summary>Scratch for a writer's open containers: where each header is.</summary>
    public int[] ContainerOffsets { get; } = new int[HandWrittenMessagePackRecordWriter.MaxOpenContainers];

    /// <summary>Scratch for a writer's open containers: how many entries each has so far.</summary>
    public int[] ContainerCounts { get; } = new int[HandWrittenMessagePackRecordWriter.MaxOpenContainers];

    /// <summary>The bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>The bytes written so far, writable (to patch a header).</summary>
    public Span<byte> WrittenBytes => _array.AsSpan(0, Length);

    /// <summary>The bytes written so far and <paramref name="spare"/> reserved bytes after them.</summary>
    public Span<byte> WrittenBytesWithSpare(int spare)
    {
        GetSpan(spare);
        return _array.AsSpan(0, Length + spare);
    }

    /// <summary>Drops the bytes written after the first <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    /// <summary>This thread's buffer, emptied.</summary>
    public static HandWrittenEncodeBuffer Rent()
    {
        HandWrittenEncodeBuffer buffer = t_current ??= new HandWrittenEncodeBuffer();
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

    /// <summary>Appends one byte.</summary>
    public void Write(byte value)
    {
        if (Length == _array.Length)
        {
            Grow(1);
        }

        _array[Length++] = value;
    }

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

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
