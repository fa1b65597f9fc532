using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Papyra.Diagnostics;
using Papyra.Persistence.Metrics;

namespace Papyra.Persistence.Durability;

/// <summary>
/// The append path of a file backend. Records are copied into a pending buffer under a short lock
/// and handed to the operating system according to the durability mode. In
/// <see cref="PersistenceDurability.Fsync"/> mode a single committer writes every pending record and
/// runs one fsync for all of them (group commit); each writer's task completes when the fsync that
/// covers its record has returned, so a completed write is durable and concurrent writers share
/// the cost of one fsync. The writes of a batch are counted in <see cref="Metrics"/> when the batch
/// settles (written after its fsync returned, or failed), so a writer can await the batch's task
/// itself: no allocation and no continuation per write.
/// </summary>
internal sealed class GroupCommitLog
{
    private const int NoneModeFlushThreshold = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly PersistenceDurability _durability;
    private readonly ILogger _logger;
    private readonly List<SafeFileHandle> _retired = [];
    private SafeFileHandle? _handle;
    private long _fileLength;
    private byte[] _pending = new byte[16 * 1024];
    private int _pendingLength;
    private TaskCompletionSource? _batch;
    private int _batchRecords;
    private long _batchBytes;
    private bool _committing;
    private TaskCompletionSource? _suspension;
    private bool _closed;

    public GroupCommitLog(string path, PersistenceDurability durability, ILogger logger)
    {
        _path = path;
        _durability = durability;
        _logger = logger;
    }

    /// <summary>Called under the log's lock before a line is appended; may rotate the active file (see <see cref="IRotationHook"/>).</summary>
    public IRotationHook? RotationHook { get; init; }

    /// <summary>Where the writes of each settled Fsync batch are counted (written or failed).</summary>
    public PersistenceMetricsRecorder? Metrics { get; init; }

    /// <summary>The outcome of an append attempt.</summary>
    public enum AppendStatus
    {
        /// <summary>The line was accepted; await the returned task for durability.</summary>
        Accepted,

        /// <summary>The log is closed; the line was ignored.</summary>
        Closed,

        /// <summary>Maintenance (compaction, recovery) holds the file; wait and retry.</summary>
        Suspended,
    }

    /// <summary>Appends one complete line (newline included).</summary>
    public AppendStatus TryAppend(ReadOnlySpan<byte> line, out Task durable, out Task? resumed)
    {
        bool startCommitter = false;
        lock (_lock)
        {
            resumed = null;
            durable = Task.CompletedTask;
            if (_closed)
            {
                return AppendStatus.Closed;
            }

            if (_suspension is { } suspension)
            {
                resumed = suspension.Task;
                return AppendStatus.Suspended;
            }

            EnsureOpenLocked();
            if (RotationHook is { } hook && _fileLength + _pendingLength > 0 && hook.ShouldRotate(_fileLength + _pendingLength, line.Length))
            {
                // Records still pending belong to the file being rotated out: write and sync them first.
                WritePendingLocked();
                RetireHandleLocked(fsync: true);
                hook.Rotate();
                EnsureOpenLocked();
            }

            AddPendingLocked(line);
            switch (_durability)
            {
                case PersistenceDurability.None:
                    if (_pendingLength >= NoneModeFlushThreshold)
                    {
                        WritePendingLocked();
                    }

                    break;
                case PersistenceDurability.Flush:
                    WritePendingLocked();
                    break;
                default:
                    _batch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _batchRecords++;
                    _batchBytes += line.Length;
                    durable = _batch.Task;
                    if (!_committing)
                    {
                        _committing = true;
                        startCommitter = true;
                    }

                    break;
            }
        }

        if (startCommitter)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static log => log.CommitLoop(), this, preferLocal: false);
        }

        return AppendStatus.Accepted;
    }

    /// <summary>Hands every buffered record to the operating system (and to disk in Fsync mode).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_handle is null)
            {
                return;
            }

            WritePendingLocked();
            if (_durability == PersistenceDurability.Fsync)
            {
                RandomAccess.FlushToDisk(_handle);
                CompleteBatchLocked();
            }
        }
    }

    /// <summary>
    /// Makes everything written durable, releases the file and holds new appends until the returned
    /// token is disposed, so compaction or recovery can replace the file underneath.
    /// </summary>
    public Suspension Suspend()
    {
        lock (_lock)
        {
            if (_suspension is not null)
            {
                throw new InvalidOperationException("The store is already being maintained.");
            }

            _suspension = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_handle is not null)
            {
                WritePendingLocked();
                RetireHandleLocked(fsync: true);
                CompleteBatchLocked();
            }
        }

        return new Suspension(this);
    }

    /// <summary>Writes and syncs everything pending and closes the file; later appends are ignored.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            try
            {
                if (_handle is not null)
                {
                    WritePendingLocked();
                    RetireHandleLocked(fsync: _durability != PersistenceDurability.None);
                }

                CompleteBatchLocked();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (_batch is { } batch)
                {
                    Failed(batch, _batchRecords, e);
                }

                _batch = null;
                _batchRecords = 0;
                _batchBytes = 0;
                throw;
            }
            finally
            {
                _suspension?.TrySetResult();
            }
        }
    }

    private void Resume()
    {
        TaskCompletionSource? suspension;
        lock (_lock)
        {
            suspension = _suspension;
            _suspension = null;
        }

        suspension?.TrySetResult();
    }

    private void CommitLoop()
    {
        while (true)
        {
            TaskCompletionSource batch;
            SafeFileHandle? handle;
            Activity? activity;
            int records;
            long bytes;
            lock (_lock)
            {
                DisposeRetiredLocked();
                if (_batch is null)
                {
                    _committing = false;
                    return;
                }

                batch = _batch;
                records = _batchRecords;
                bytes = _batchBytes;
                _batch = null;
                _batchRecords = 0;
                _batchBytes = 0;
                activity = PersistenceActivities.StartWriteBatch(null, _path);
                activity?.SetTag(PersistenceActivities.RecordsTag, _pending.AsSpan(0, _pendingLength).Count((byte)'\n'));
                try
                {
                    WritePendingLocked();
                }
                catch (Exception e)
                {
                    PersistenceActivities.Fail(activity, e);
                    activity?.Dispose();
                    Failed(batch, records, e);
                    continue;
                }

                handle = _handle;
            }

            using (activity)
            {
                try
                {
                    // Outside the lock: new records keep arriving while the disk syncs, and form the next batch.
                    if (handle is not null)
                    {
                        RandomAccess.FlushToDisk(handle);
                    }
                }
                catch (Exception e)
                {
                    PersistenceActivities.Fail(activity, e);
                    Failed(batch, records, e);
                    continue;
                }

                Metrics?.RecordWrite(records, bytes);
                batch.TrySetResult();
            }
        }
    }

    private void EnsureOpenLocked()
    {
        if (_handle is not null)
        {
            return;
        }

        StoreFiles.ThrowIfDirectory(_path);
        string directory = StoreFiles.DirectoryOf(_path);
        bool created = !File.Exists(_path);
        if (created)
        {
            Directory.CreateDirectory(directory);
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The store file '{_path}' cannot be opened for writing: permission denied.", e);
        }

        long length = RandomAccess.GetLength(handle);
        if (length > 0)
        {
            Span<byte> last = stackalloc byte[1];
            if (RandomAccess.Read(handle, last, length - 1) == 1 && last[0] != (byte)'\n')
            {
                // A torn last line (a crash mid-write) must not swallow the next record: terminate it,
                // so it is reported as a corrupted line and every new record stays intact.
                RandomAccess.Write(handle, "\n"u8, length);
                length++;
                _logger.LogWarning("Persistence store {Path} ended with an unterminated line; it was terminated before appending (scan reports it as corrupted).", _path);
            }
        }

        _handle = handle;
        _fileLength = length;
        if (created && _durability == PersistenceDurability.Fsync)
        {
            StoreFiles.FsyncDirectory(directory);
        }
    }

    private void AddPendingLocked(ReadOnlySpan<byte> line)
    {
        if (_pending.Length - _pendingLength < line.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + line.Length));
        }

        line.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += line.Length;
    }

    private void WritePendingLocked()
    {
        if (_pendingLength == 0 || _handle is null)
        {
            return;
        }

        int length = _pendingLength;
        _pendingLength = 0;
        try
        {
            RandomAccess.Write(_handle, _pending.AsSpan(0, length), _fileLength);
            _fileLength += length;
        }
        catch
        {
            _fileLength = RandomAccess.GetLength(_handle);
            throw;
        }

        if (_pending.Length > 1 << 20 && length < _pending.Length / 4)
        {
            _pending = new byte[16 * 1024];
        }
    }

    private void RetireHandleLocked(bool fsync)
    {
        if (_handle is null)
        {
            return;
        }

        if (fsync)
        {
            RandomAccess.FlushToDisk(_handle);
        }

        // A committer may be running fsync on this handle outside the lock: it disposes it afterwards.
        if (_committing)
        {
            _retired.Add(_handle);
        }
        else
        {
            _handle.Dispose();
        }

        _handle = null;
    }

    private void DisposeRetiredLocked()
    {
        foreach (SafeFileHandle handle in _retired)
        {
            handle.Dispose();
        }

        _retired.Clear();
    }

    private void CompleteBatchLocked()
    {
        if (_batch is { } batch)
        {
            Metrics?.RecordWrite(_batchRecords, _batchBytes);
            batch.TrySetResult();
        }

        _batch = null;
        _batchRecords = 0;
        _batchBytes = 0;
    }

    private void Failed(TaskCompletionSource batch, int records, Exception e)
    {
        for (int i = 0; i < records; i++)
        {
            Metrics?.RecordWriteError();
        }

        _logger.LogError(e, "Writing {Records} records to persistence store {Path} failed (the write or its fsync).", records, _path);
        batch.TrySetException(e);
    }

    /// <summary>Holds appends while maintenance replaces the file; dispose to let them continue.</summary>
    public sealed class Suspension : IDisposable
    {
        private GroupCommitLog? _log;

        internal Suspension(GroupCommitLog log) => _log = log;

        /// <inheritdoc/>
        public void Dispose()
        {
            Interlocked.Exchange(ref _log, null)?.Resume();
        }
    }
}
