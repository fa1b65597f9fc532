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
/// itself: no allocation and no continuation per write. While maintenance holds the file
/// (<see cref="Suspend"/>), appends are parked in arrival order and appended, in that order, when it
/// ends; their writers wait for that like for any batch.
/// A write the disk takes only partly (a full disk) is truncated back to the last complete line
/// before the error is reported, so no later record is ever appended after a torn fragment; a
/// failure is logged once per outage (then counted only) and once more when writes resume.
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

    // The committer is writing a swapped-out buffer outside the lock (at _fileLength's old value);
    // anything else that writes, truncates or retires the file waits for it first.
    private bool _writing;

    // The committer's previous buffer, reused as the next pending buffer.
    private byte[]? _spare;
    private bool _suspended;
    private bool _closed;

    // Lines lost by the last failed write of the pending buffer (None mode loses the whole buffer).
    private int _pendingLines;
    private int _lostByFailedWrite;

    // Records that failed since the last successful write (0: no outage).
    private long _outageFailures;

    // Lines appended while suspended, in arrival order, and the task their writers await.
    private byte[] _parked = [];
    private int _parkedLength;
    private readonly List<int> _parkedLines = [];
    private TaskCompletionSource? _parkedBatch;

    public GroupCommitLog(string path, PersistenceDurability durability, ILogger logger)
    {
        _path = path;
        _durability = durability;
        _logger = logger;
    }

    /// <summary>Called under the log's lock before a line is appended; may rotate the active file (see <see cref="IRotationHook"/>).</summary>
    public IRotationHook? RotationHook { get; init; }

    /// <summary>Whether an append may rotate the active file (and fsync the one rotated out) first.</summary>
    public bool HasRotation => RotationHook is not null;

    /// <summary>Where the writes of each settled Fsync batch are counted (written or failed).</summary>
    public PersistenceMetricsRecorder? Metrics { get; init; }

    /// <summary>The outcome of an append attempt.</summary>
    public enum AppendStatus
    {
        /// <summary>The line was accepted (appended, or parked while maintenance holds the file); await the returned task for durability.</summary>
        Accepted,

        /// <summary>The log is closed; the line was ignored.</summary>
        Closed,
    }

    /// <summary>Appends one complete line (newline included).</summary>
    public AppendStatus TryAppend(ReadOnlySpan<byte> line, out Task durable) => TryAppend<object?>(line, null, null, out durable);

    /// <summary>As <see cref="TryAppend(ReadOnlySpan{byte}, out Task)"/>; <paramref name="onPlaced"/> runs with <paramref name="state"/> under the lock once the line is accepted (buffered or parked), so callers can number lines in file order.</summary>
    public AppendStatus TryAppend<TState>(ReadOnlySpan<byte> line, Action<TState>? onPlaced, TState? state, out Task durable)
    {
        bool startCommitter;
        lock (_lock)
        {
            // A line that rotates the file writes what is pending first: not while the committer's
            // write is in flight. Waiting releases the lock, so everything is looked at again after.
            while (_writing && RotationHook is { } hook && _fileLength + _pendingLength > 0 && hook.ShouldRotate(_fileLength + _pendingLength, line.Length))
            {
                WaitForWriterLocked();
            }

            durable = Task.CompletedTask;
            if (_closed)
            {
                return AppendStatus.Closed;
            }

            if (_suspended)
            {
                durable = ParkLocked(line);
                onPlaced?.Invoke(state!);
                return AppendStatus.Accepted;
            }

            try
            {
                startCommitter = AppendLocked(line, ref durable);
                onPlaced?.Invoke(state!);
            }
            catch (Exception e)
            {
                // Opening the file or writing the buffer failed (None and Flush modes write here):
                // the line, and in None mode every line buffered with it, is lost.
                int lost = Math.Max(1, _lostByFailedWrite);
                _lostByFailedWrite = 0;
                Failed(null, lost, e);
                throw;
            }
        }

        if (startCommitter)
        {
            StartCommitter();
        }

        return AppendStatus.Accepted;
    }

    // Appends a line to the open file's pending buffer (rotating first when the hook says so) and
    // joins the current batch in Fsync mode; returns whether a committer must be started.
    private bool AppendLocked(ReadOnlySpan<byte> line, ref Task durable)
    {
        EnsureOpenLocked();
        if (RotationHook is { } hook && _fileLength + _pendingLength > 0 && hook.ShouldRotate(_fileLength + _pendingLength, line.Length))
        {
            // Records still pending belong to the file being rotated out: write and sync them first.
            CommitPendingLocked(sync: true);
            RetireHandleLocked(fsync: false);
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

                return false;
            case PersistenceDurability.Flush:
                WritePendingLocked();
                return false;
            default:
                _batch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _batchRecords++;
                _batchBytes += line.Length;
                durable = _batch.Task;
                if (_committing)
                {
                    return false;
                }

                _committing = true;
                return true;
        }
    }

    private void StartCommitter() => ThreadPool.UnsafeQueueUserWorkItem(static log => log.CommitLoop(), this, preferLocal: false);

    // Keeps a line that arrived while maintenance holds the file. In None mode its writer does not
    // wait (an append there only buffers); otherwise it waits until the line is appended (Flush) or
    // durable (Fsync) after maintenance.
    private Task ParkLocked(ReadOnlySpan<byte> line)
    {
        if (_parked.Length - _parkedLength < line.Length)
        {
            Array.Resize(ref _parked, Math.Max(Math.Max(_parked.Length * 2, 16 * 1024), _parkedLength + line.Length));
        }

        line.CopyTo(_parked.AsSpan(_parkedLength));
        _parkedLength += line.Length;
        _parkedLines.Add(line.Length);
        if (_durability == PersistenceDurability.None)
        {
            return Task.CompletedTask;
        }

        _parkedBatch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _parkedBatch.Task;
    }

    /// <summary>Hands every buffered record to the operating system (and to disk in Fsync mode).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            WaitForWriterLocked();
            if (_handle is null)
            {
                return;
            }

            CommitPendingLocked(sync: _durability == PersistenceDurability.Fsync);
            if (_durability == PersistenceDurability.Fsync)
            {
                CompleteBatchLocked();
            }
        }
    }

    /// <summary>
    /// Makes everything written durable and releases the file, so compaction or recovery can replace
    /// it underneath; appends meanwhile are parked and appended in order once the returned token is disposed.
    /// </summary>
    public Suspension Suspend()
    {
        lock (_lock)
        {
            WaitForWriterLocked();
            if (_suspended)
            {
                throw new InvalidOperationException("The store is already being maintained.");
            }

            _suspended = true;
            if (_handle is not null)
            {
                CommitPendingLocked(sync: true);
                RetireHandleLocked(fsync: false);
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
            WaitForWriterLocked();
            if (_closed)
            {
                return;
            }

            _closed = true;
            try
            {
                if (_handle is not null)
                {
                    CommitPendingLocked(sync: _durability != PersistenceDurability.None);
                    RetireHandleLocked(fsync: false);
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
                // Maintenance still owns the file: lines parked for after it cannot be written now.
                // (In None mode their writers were not waiting: the loss is still counted and logged.)
                TakeParkedLocked(out TaskCompletionSource? parked, out int parkedRecords);
                if (parkedRecords > 0)
                {
                    Failed(parked, parkedRecords, new ObjectDisposedException(_path, $"The store '{_path}' was closed while maintenance held it; records written meanwhile were not appended."));
                }
            }
        }
    }

    // Ends maintenance: the lines parked meanwhile are appended in the order they arrived, and
    // their writers' task joins the batch that commits them (or completes once they are written).
    private void Resume()
    {
        bool startCommitter = false;
        lock (_lock)
        {
            WaitForWriterLocked();
            _suspended = false;
            if (_closed || _parkedLines.Count == 0)
            {
                return;
            }

            TakeParkedLocked(out TaskCompletionSource? parked, out int records, out byte[] lines, out List<int> lengths);
            try
            {
                Task durable = Task.CompletedTask;
                int offset = 0;
                foreach (int length in lengths)
                {
                    startCommitter |= AppendLocked(lines.AsSpan(offset, length), ref durable);
                    offset += length;
                }

                if (_durability == PersistenceDurability.Flush)
                {
                    // Their writers did not count them when they appended (the write was still to come).
                    Metrics?.RecordWrite(records, offset);
                }

                if (parked is not null)
                {
                    if (durable.IsCompleted)
                    {
                        parked.TrySetResult();
                    }
                    else
                    {
                        // Every parked line joined the current batch: the parked writers wait for it.
                        durable.ContinueWith(static (t, state) => ((TaskCompletionSource)state!).TrySetFromTask(t), parked, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }
            }
            catch (Exception e)
            {
                if (parked is not null)
                {
                    Failed(parked, records, e);
                }
            }
        }

        if (startCommitter)
        {
            StartCommitter();
        }
    }

    private void TakeParkedLocked(out TaskCompletionSource? batch, out int records) => TakeParkedLocked(out batch, out records, out _, out _);

    private void TakeParkedLocked(out TaskCompletionSource? batch, out int records, out byte[] lines, out List<int> lengths)
    {
        batch = _parkedBatch;
        records = _parkedLines.Count;
        lines = _parked;
        lengths = [.. _parkedLines];
        _parkedBatch = null;
        _parked = [];
        _parkedLength = 0;
        _parkedLines.Clear();
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
            byte[]? data = null;
            int length = 0;
            long offset = 0;
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
                handle = _handle;
                if (handle is not null && _pendingLength > 0)
                {
                    // The write happens outside the lock, from a buffer swapped out here: appenders
                    // (actors emitting events, holding the event log's lock) used to wait behind the
                    // write system call of a whole batch, and every other emitter behind them.
                    data = _pending;
                    length = _pendingLength;
                    offset = _fileLength;
                    _pending = _spare ?? new byte[16 * 1024];
                    _spare = null;
                    _pendingLength = 0;
                    _pendingLines = 0;
                    _fileLength += length;
                    _writing = true;
                }
            }

            if (data is not null)
            {
                try
                {
                    RandomAccess.Write(handle!, data.AsSpan(0, length), offset);
                }
                catch (Exception e)
                {
                    lock (_lock)
                    {
                        _writing = false;

                        // Nothing was written after this buffer (others wait for it), so the file
                        // is cut back to where it began; later lines follow from there.
                        _fileLength = offset;
                        TruncateBackLocked();
                        _lostByFailedWrite = 0; // the batch's own records, counted here
                        PersistenceActivities.Fail(activity, e);
                        activity?.Dispose();
                        Failed(batch, records, e);
                    }

                    continue;
                }

                lock (_lock)
                {
                    _writing = false;
                    WriteSucceededLocked();
                    if (_spare is null && !(data.Length > 1 << 20 && length < data.Length / 4))
                    {
                        _spare = data;
                    }
                }
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

        StoreFiles.ThrowIfNotRegularFile(_path);
        string directory = StoreFiles.DirectoryOf(_path);
        bool created = !File.Exists(_path);
        if (created)
        {
            Directory.CreateDirectory(directory);
        }

        StoreFiles.ThrowIfNotRegularFile(_path);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"The store file '{_path}' cannot be opened for writing: permission denied.", e);
        }

        long length;
        try
        {
            length = RandomAccess.GetLength(handle);
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
        }
        catch
        {
            // Not even the newline fits (a full disk): the next append tries again from here.
            handle.Dispose();
            throw;
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
        _pendingLines++;
    }

    private void WritePendingLocked()
    {
        Debug.Assert(!_writing, "a write outside the lock is in flight");
        if (_pendingLength == 0 || _handle is null)
        {
            return;
        }

        int length = _pendingLength;
        int lines = _pendingLines;
        _pendingLength = 0;
        _pendingLines = 0;
        try
        {
            RandomAccess.Write(_handle, _pending.AsSpan(0, length), _fileLength);
            _fileLength += length;
        }
        catch (Exception e)
        {
            TruncateBackLocked();
            if (_batch is { } open)
            {
                // A flush, rotation, maintenance or close wrote an open Fsync batch's lines: they are
                // gone, so its writers must not be told they are durable by a later empty commit.
                Failed(open, _batchRecords, e);
                _batch = null;
                _batchRecords = 0;
                _batchBytes = 0;
                _lostByFailedWrite = 0;
            }
            else
            {
                _lostByFailedWrite = lines;
            }

            throw;
        }

        WriteSucceededLocked();
        if (_pending.Length > 1 << 20 && length < _pending.Length / 4)
        {
            _pending = new byte[16 * 1024];
        }
    }

    private void WriteSucceededLocked()
    {
        if (Interlocked.Read(ref _outageFailures) != 0)
        {
            long failed = Interlocked.Exchange(ref _outageFailures, 0);
            _logger.LogInformation("Writes to persistence store {Path} resumed after {Failures} records failed.", _path, failed);
        }
    }

    /// <summary>
    /// Waits, with the lock held on return, until no committer write is in flight outside the lock.
    /// It releases the lock while it waits, so callers use it before they look at any state; once it
    /// has returned, no write can start until they release the lock (the committer swaps under it).
    /// </summary>
    private void WaitForWriterLocked()
    {
        var spinner = default(SpinWait);
        while (_writing)
        {
            _lock.Exit();
            spinner.SpinOnce();
            _lock.Enter();
        }
    }

    // Writes, and with sync fsyncs, what is pending outside the committer (a flush, maintenance, a
    // close or a rotation), traced as a write batch like the committer's own commits.
    private void CommitPendingLocked(bool sync)
    {
        if (_handle is null)
        {
            return;
        }

        using Activity? activity = _pendingLength > 0 ? PersistenceActivities.StartWriteBatch(null, _path) : null;
        activity?.SetTag(PersistenceActivities.RecordsTag, _pending.AsSpan(0, _pendingLength).Count((byte)'\n'));
        try
        {
            WritePendingLocked();
            if (sync)
            {
                RandomAccess.FlushToDisk(_handle);
            }
        }
        catch (Exception e)
        {
            PersistenceActivities.Fail(activity, e);
            throw;
        }
    }

    // A write the disk took only partly leaves a fragment without a newline at the end of the file;
    // a record appended after it would join that line and be lost. Cut the file back to the end of
    // the last complete write; where even that fails, drop the handle: the next append reopens the
    // file and terminates whatever tail it finds before writing.
    private void TruncateBackLocked()
    {
        try
        {
            if (RandomAccess.GetLength(_handle!) != _fileLength)
            {
                RandomAccess.SetLength(_handle!, _fileLength);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Could not cut persistence store {Path} back to {Length} bytes after a failed write; its tail is checked before the next append.", _path, _fileLength);
            RetireHandleLocked(fsync: false);
        }
    }

    private void RetireHandleLocked(bool fsync)
    {
        Debug.Assert(!_writing, "a write outside the lock is in flight");
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

    // Counts failed records and logs the failure once per outage (the first failure at error level
    // with its exception, later ones at debug level), so a full disk cannot flood the log.
    private void Failed(TaskCompletionSource? batch, int records, Exception e)
    {
        for (int i = 0; i < records; i++)
        {
            Metrics?.RecordWriteError();
        }

        if (Interlocked.Add(ref _outageFailures, records) == records)
        {
            _logger.LogError(
                e,
                "Writing {Records} records to persistence store {Path} failed (the write or its fsync); further failures are counted in write_errors and logged at debug level until a write succeeds.",
                records, _path);
        }
        else
        {
            _logger.LogDebug("Writing {Records} records to persistence store {Path} failed again: {Reason}", records, _path, e.Message);
        }

        batch?.TrySetException(e);
    }

    /// <summary>Parks appends while maintenance replaces the file; dispose to append them, in order, and let appends continue.</summary>
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
