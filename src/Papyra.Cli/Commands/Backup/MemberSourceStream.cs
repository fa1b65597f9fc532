using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// The data of one archive member, read from its snapshot on a second thread that hashes (SHA-256)
/// and counts the records while the archive writer compresses what it already read: the two cores
/// work at once, and at most <see cref="Depth"/> chunks of <see cref="ChunkBytes"/> are in memory.
/// Seekable only in the sense <see cref="System.Formats.Tar.TarWriter"/> needs (a known length).
/// </summary>
internal sealed class MemberSourceStream : Stream
{
    private const int ChunkBytes = 1 << 20;
    private const int Depth = 4;

    private readonly BlockingCollection<(byte[] Buffer, int Count)> _chunks = new(Depth);
    private readonly long _length;
    private readonly CancellationToken _cancellationToken;
    private readonly Task _producer;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _current;
    private int _currentOffset;
    private int _currentCount;
    private long _position;
    private byte[]? _digest;

    public MemberSourceStream(SnapshotMember member, LineTally tally, Action<long> progress, CancellationToken cancellationToken)
    {
        _length = member.Length;
        _cancellationToken = cancellationToken;
        _producer = Task.Factory.StartNew(() => Produce(member, tally, progress), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The SHA-256 of the member's bytes, lower-case hex; available once every byte was read.</summary>
    public string Sha256Hex
    {
        get
        {
            _producer.GetAwaiter().GetResult();
            _digest ??= _hash.GetHashAndReset();
            return Convert.ToHexStringLower(_digest);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A member's data is read once, in order.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_current is null || _currentOffset == _currentCount)
        {
            if (_current is not null)
            {
                ArrayPool<byte>.Shared.Return(_current);
                _current = null;
            }

            if (!_chunks.TryTake(out (byte[] Buffer, int Count) chunk, Timeout.Infinite, _cancellationToken))
            {
                // Completed: the producer finished, or failed (its exception surfaces here).
                _producer.GetAwaiter().GetResult();
                return 0;
            }

            (_current, _currentCount, _currentOffset) = (chunk.Buffer, chunk.Count, 0);
        }

        int n = Math.Min(buffer.Length, _currentCount - _currentOffset);
        _current.AsSpan(_currentOffset, n).CopyTo(buffer);
        _currentOffset += n;
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
        => origin == SeekOrigin.Current && offset == 0 ? _position : throw new NotSupportedException("A member's data is read once, in order.");

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Drain so a producer blocked on a full queue ends.
            while (!_producer.IsCompleted && _chunks.TryTake(out (byte[] Buffer, int Count) chunk, 100))
            {
                ArrayPool<byte>.Shared.Return(chunk.Buffer);
            }

            _hash.Dispose();
            _chunks.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Produce(SnapshotMember member, LineTally tally, Action<long> progress)
    {
        try
        {
            long offset = 0;
            while (offset < _length)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                int read = RandomAccess.Read(member.Handle, buffer.AsSpan(0, (int)Math.Min(ChunkBytes, _length - offset)), offset);
                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new IOException($"{member.Name} became shorter while it was backed up ({offset} of {_length} bytes read).");
                }

                ReadOnlySpan<byte> data = buffer.AsSpan(0, read);
                _hash.AppendData(data);
                tally.Feed(data);
                offset += read;
                _chunks.Add((buffer, read), _cancellationToken);
                progress(read);
            }

            tally.Complete();
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }
}
