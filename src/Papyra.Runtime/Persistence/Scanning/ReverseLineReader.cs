using Microsoft.Win32.SafeHandles;

namespace Papyra.Persistence.Scanning;

/// <summary>
/// Reads the lines of a file backwards, newest first, from a given end offset, by blocks: the
/// newest lines of a store cost the same whatever its size. Memory is bounded by the maximum line
/// length: a longer line is skipped (its offset and length still reported) without being buffered.
/// Only <c>\n</c> ends a line; a last line without one is returned first with
/// <see cref="NdjsonLine.HasNewline"/> false. Line numbers count backwards from 1 (the newest).
/// </summary>
internal sealed class ReverseLineReader
{
    private const int BlockSize = 256 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly int _maxLineBytes;
    private byte[] _buffer;

    // The buffer holds the file bytes [_bufferStart, _limit): everything from _limit on was returned.
    private long _bufferStart;
    private long _limit;
    private long _number;
    private bool _first = true;
    private int _currentStart;
    private int _currentLength;

    public ReverseLineReader(SafeFileHandle handle, long end, int maxLineBytes)
    {
        _handle = handle;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[BlockSize];
        _bufferStart = end;
        _limit = end;
    }

    /// <summary>The bytes of the line last returned (empty for an over-long line); valid until the next read.</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_currentStart, _currentLength);

    /// <summary>Where the file's unread part ends: the first byte of the line last returned.</summary>
    public long Position => _limit;

    public bool TryReadLine(out NdjsonLine line)
    {
        line = default;
        _currentLength = 0;
        if (_limit == 0)
        {
            return false;
        }

        bool hasNewline;
        long lineEnd;
        if (_first)
        {
            _first = false;
            if (!EnsureBuffered(1))
            {
                return false;
            }

            hasNewline = _buffer[(int)(_limit - 1 - _bufferStart)] == (byte)'\n';
        }
        else
        {
            hasNewline = true; // every line before another one ends with the newline that follows it
        }

        lineEnd = hasNewline ? _limit - 1 : _limit;
        while (true)
        {
            int searchEnd = (int)(lineEnd - _bufferStart);
            int newline = _buffer.AsSpan(0, searchEnd).LastIndexOf((byte)'\n');
            if (newline >= 0 || _bufferStart == 0)
            {
                long start = _bufferStart + newline + 1;
                long length = lineEnd - start;
                _number++;
                _limit = start;
                if (length > _maxLineBytes)
                {
                    line = new NdjsonLine(_number, start, length, hasNewline, IsOverLong: true);
                    return true;
                }

                _currentStart = (int)(start - _bufferStart);
                _currentLength = (int)length;
                line = new NdjsonLine(_number, start, length, hasNewline, IsOverLong: false);
                return true;
            }

            if (lineEnd - _bufferStart > _maxLineBytes)
            {
                line = SkipOverLongLine(lineEnd, hasNewline);
                return true;
            }

            ReadEarlier();
        }
    }

    // Makes sure at least `count` bytes before _limit are buffered.
    private bool EnsureBuffered(int count)
    {
        while (_limit - _bufferStart < count)
        {
            if (_bufferStart == 0)
            {
                return false;
            }

            ReadEarlier();
        }

        return true;
    }

    // Prepends the block before the buffered range, keeping the unreturned bytes [_bufferStart, _limit).
    private void ReadEarlier()
    {
        int kept = (int)(_limit - _bufferStart);
        int block = (int)Math.Min(BlockSize, _bufferStart);
        if (_buffer.Length < kept + block)
        {
            byte[] larger = new byte[(int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)kept + block))];
            Buffer.BlockCopy(_buffer, 0, larger, block, kept);
            _buffer = larger;
        }
        else
        {
            Buffer.BlockCopy(_buffer, 0, _buffer, block, kept);
        }

        long from = _bufferStart - block;
        int read = 0;
        while (read < block)
        {
            int n = RandomAccess.Read(_handle, _buffer.AsSpan(read, block - read), from + read);
            if (n == 0)
            {
                throw new IOException("The store file shrank while it was being read backwards.");
            }

            read += n;
        }

        _bufferStart = from;
    }

    // A line longer than the limit: find its start by searching backwards block by block, without keeping it.
    private NdjsonLine SkipOverLongLine(long lineEnd, bool hasNewline)
    {
        byte[] block = new byte[BlockSize];
        long position = _bufferStart;
        long start = 0;
        while (position > 0)
        {
            int size = (int)Math.Min(block.Length, position);
            position -= size;
            int read = 0;
            while (read < size)
            {
                read += RandomAccess.Read(_handle, block.AsSpan(read, size - read), position + read);
            }

            int newline = block.AsSpan(0, size).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                start = position + newline + 1;
                break;
            }
        }

        _number++;
        _limit = start;
        _bufferStart = start;
        if (_buffer.Length > BlockSize)
        {
            _buffer = new byte[BlockSize];
        }

        return new NdjsonLine(_number, start, lineEnd - start, hasNewline, IsOverLong: true);
    }
}
