using Microsoft.Win32.SafeHandles;

namespace Papyra.Persistence.Scanning;

/// <summary>
/// Streams the physical lines of a file with memory bounded by the maximum line length: a line
/// longer than the limit is skipped (its position and length are still reported) without ever
/// being buffered. Only <c>\n</c> ends a line; a <c>\r</c> before it belongs to the line.
/// </summary>
internal sealed class NdjsonLineReader : IDisposable
{
    private const int InitialBufferSize = 1024 * 1024;
    private const int MinimumRead = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly bool _ownsHandle;
    private readonly int _maxLineBytes;
    private readonly int _maxBufferSize;
    private readonly bool _completeLinesOnly;
    private readonly long _endOffset;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _searched;
    private long _bufferOffset;
    private long _readPosition;
    private bool _eof;
    private long _lineNumber;
    private int _currentStart;
    private int _currentLength;

    // The buffer index of the first non-ASCII byte at or after the last line checked (_end when the
    // buffer has none there); -1 when unknown (the buffer moved or grew since). One vectorised
    // search covers every ASCII line of a buffer, instead of a UTF-8 validation per line.
    private int _nonAscii = -1;

    /// <param name="handle">The file.</param>
    /// <param name="maxLineBytes">The longest line buffered.</param>
    /// <param name="ownsHandle">Whether disposing the reader closes the file.</param>
    /// <param name="startOffset">Where to start reading (the first byte of a line).</param>
    /// <param name="completeLinesOnly">
    /// Follow mode: a last line without its newline is not returned (it may still be being
    /// written); <see cref="TryReadLine"/> returns <see langword="false"/> and a later call reads on
    /// from where the file has grown.
    /// </param>
    /// <param name="endOffset">Where to stop reading, as if the file ended there (a snapshot's length).</param>
    public NdjsonLineReader(SafeFileHandle handle, int maxLineBytes, bool ownsHandle = false, long startOffset = 0, bool completeLinesOnly = false, long endOffset = long.MaxValue)
    {
        _endOffset = endOffset;
        _handle = handle;
        _bufferOffset = startOffset;
        _readPosition = startOffset;
        _completeLinesOnly = completeLinesOnly;
        _ownsHandle = ownsHandle;
        _maxLineBytes = maxLineBytes;
        _maxBufferSize = (int)Math.Min(Array.MaxLength, (long)maxLineBytes + 1 + MinimumRead);
        _buffer = new byte[Math.Min(InitialBufferSize, _maxBufferSize)];
    }

    /// <summary>The bytes of the line last returned (empty for an over-long line); valid until the next read.</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_currentStart, _currentLength);

    /// <summary>The number of bytes consumed so far.</summary>
    public long Position => _bufferOffset + _start;

    public static NdjsonLineReader Open(string path, int maxLineBytes)
    {
        SafeFileHandle handle = Durability.StoreFiles.OpenForReading(path);
        return new NdjsonLineReader(handle, maxLineBytes, ownsHandle: true);
    }

    public bool TryReadLine(out NdjsonLine line)
    {
        while (true)
        {
            int from = _start + _searched;
            int index = _buffer.AsSpan(from, _end - from).IndexOf((byte)'\n');
            if (index >= 0)
            {
                int newline = from + index;
                line = Emit(newline - _start, hasNewline: true);
                _start = newline + 1;
                return true;
            }

            _searched = _end - _start;
            if (_eof && _completeLinesOnly)
            {
                // The partial line stays buffered; the next call reads what was appended since.
                _eof = false;
                line = default;
                _currentLength = 0;
                return false;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = Emit(_end - _start, hasNewline: false);
                    _start = _end;
                    return true;
                }

                line = default;
                _currentLength = 0;
                return false;
            }

            if (_end - _start > _maxLineBytes)
            {
                line = SkipOverLongLine();
                return true;
            }

            Fill();
        }
    }

    public void Dispose()
    {
        if (_ownsHandle)
        {
            _handle.Dispose();
        }
    }

    private NdjsonLine Emit(int length, bool hasNewline)
    {
        _lineNumber++;
        _searched = 0;
        long offset = _bufferOffset + _start;
        if (length > _maxLineBytes)
        {
            _currentStart = _start;
            _currentLength = 0;
            return new NdjsonLine(_lineNumber, offset, length, hasNewline, IsOverLong: true);
        }

        _currentStart = _start;
        _currentLength = length;
        if (_nonAscii < _start)
        {
            int found = _buffer.AsSpan(_start, _end - _start).IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            _nonAscii = found < 0 ? _end : _start + found;
        }

        return new NdjsonLine(_lineNumber, offset, length, hasNewline, IsOverLong: false, IsAscii: _nonAscii >= _start + length);
    }

    private NdjsonLine SkipOverLongLine()
    {
        _lineNumber++;
        long offset = _bufferOffset + _start;
        long length = _end - _start;
        _currentStart = 0;
        _currentLength = 0;
        _nonAscii = -1;
        while (true)
        {
            _bufferOffset = _readPosition;
            _start = 0;
            _end = 0;
            _searched = 0;
            int read = RandomAccess.Read(_handle, _buffer, _readPosition);
            if (read == 0)
            {
                _eof = true;
                return new NdjsonLine(_lineNumber, offset, length, HasNewline: false, IsOverLong: true);
            }

            _readPosition += read;
            _end = read;
            int index = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (index >= 0)
            {
                _start = index + 1;
                return new NdjsonLine(_lineNumber, offset, length + index, HasNewline: true, IsOverLong: true);
            }

            length += read;
        }
    }

    private void Fill()
    {
        _nonAscii = -1;
        if (_start > 0)
        {
            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _bufferOffset += _start;
            _start = 0;
            _end = pending;
        }

        if (_buffer.Length - _end < MinimumRead && _buffer.Length < _maxBufferSize)
        {
            Array.Resize(ref _buffer, (int)Math.Min(_maxBufferSize, (long)_buffer.Length * 2));
        }

        int room = (int)Math.Min(_buffer.Length - _end, _endOffset - _readPosition);
        int read = room <= 0 ? 0 : RandomAccess.Read(_handle, _buffer.AsSpan(_end, room), _readPosition);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _readPosition += read;
        _end += read;
    }
}
