using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// Where a member's bytes go while an archive is read: a second thread hashes them (SHA-256), checks
/// every line as a scan does (<see cref="LineTally"/>) and, when restoring, writes them to a file,
/// while the reading thread decompresses the next chunk. At most a few 1 MiB chunks are in memory.
/// </summary>
internal sealed class MemberSink : IDisposable
{
    public const int ChunkBytes = 1 << 20;
    private const int Depth = 4;

    private readonly BlockingCollection<(byte[] Buffer, int Count)> _chunks = new(Depth);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly FileStream? _output;
    private readonly Task _worker;
    private long _bytes;

    public MemberSink(LineTally? tally, string? outputPath)
    {
        Tally = tally;
        _output = outputPath is null ? null : new FileStream(outputPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _worker = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public LineTally? Tally { get; }

    /// <summary>Hands a rented buffer over (returned to the pool once consumed).</summary>
    public void Add(byte[] buffer, int count)
    {
        if (_worker.IsFaulted)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _worker.GetAwaiter().GetResult();
        }

        _chunks.Add((buffer, count));
    }

    /// <summary>Waits for every byte to be consumed; returns the size and SHA-256 (lower-case hex).</summary>
    public (long Bytes, string Sha256) Complete()
    {
        _chunks.CompleteAdding();
        _worker.GetAwaiter().GetResult();
        Tally?.Complete();
        if (_output is not null)
        {
            _output.Flush(flushToDisk: true);
        }

        return (_bytes, Convert.ToHexStringLower(_hash.GetHashAndReset()));
    }

    public void Dispose()
    {
        _chunks.CompleteAdding();
        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // Reported by Complete; a sink disposed after a failure only releases its resources.
        }

        _output?.Dispose();
        _hash.Dispose();
        _chunks.Dispose();
    }

    private void Consume()
    {
        foreach ((byte[] buffer, int count) in _chunks.GetConsumingEnumerable())
        {
            try
            {
                ReadOnlySpan<byte> data = buffer.AsSpan(0, count);
                _hash.AppendData(data);
                Tally?.Feed(data);
                _output?.Write(data);
                _bytes += count;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
