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
/// An actor system's events can also be appended without the lock (<see cref="AttachSequence"/>,
/// <see cref="AppendSequenced"/>): each is numbered by the system's counter, copied into the ring
/// slot of its number, and moved into the pending buffer in number order by the committer (or by
/// writers, when the ring fills), so the file holds them in sequence order. The committer runs on
/// a thread of its own.
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
    // Pending buffers come from StoreBuffers and go back to it (see there).
    private byte[] _pending = StoreBuffers.Rent(16 * 1024);
    private int _pendingLength;
    private TaskCompletionSource? _batch;
    private int _batchRecords;
    private long _batchBytes;

    // 1 while a committer runs (or is queued to). Set with a compare-and-swap: under the lock by
    // appends through it, without it by numbered appends (see AppendSequenced).
    private int _committerActive;

    private readonly Runner _committer;

    // Numbered appends (see AttachSequence); null until a system attaches its event counter.
    private SequencedRing? _ring;

    // A file that could not be opened lost lines of the open batch: its seal fails it.
    private Exception? _ringError;

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
        _committer = new Runner("Papyra store committer", CommitLoop);
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
                return Interlocked.CompareExchange(ref _committerActive, 1, 0) == 0;
        }
    }

    /// <summary>
    /// Lets a system append its events without the log's lock (Fsync mode without rotation only):
    /// from now on every number <paramref name="sequence"/> hands out is given to
    /// <see cref="AppendSequenced"/> exactly once (with a line, or empty for an event that is not
    /// stored), and the lines reach the file in that order. Appends through the lock carry on.
    /// </summary>
    /// <param name="sequence">The system's event counter; its current value is the last number already handed out.</param>
    /// <returns>Whether the log takes numbered appends; false for other modes, when closed, or when another counter is attached.</returns>
    public bool AttachSequence(EventSequence sequence)
    {
        lock (_lock)
        {
            if (_ring is not null || _closed || _durability != PersistenceDurability.Fsync || HasRotation)
            {
                return false;
            }

            // From here on the open batch is never null: numbered appends read it without the lock.
            _batch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ring = new SequencedRing(sequence, Volatile.Read(ref sequence.Value) + 1);
            return true;
        }
    }

    /// <summary>
    /// Takes the next number from the attached counter and appends <paramref name="line"/> under it, as
    /// <see cref="AppendSequenced"/> does: the number is taken right before the line is copied, so a
    /// writer preempted in between (which holds up every line after it) is as unlikely as it can be.
    /// </summary>
    /// <param name="line">The line, or empty to pass the number over.</param>
    /// <param name="sequence">The number taken.</param>
    /// <param name="durable">As for <see cref="AppendSequenced"/>.</param>
    /// <returns>As for <see cref="AppendSequenced"/>.</returns>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public AppendStatus AppendNextSequenced(ReadOnlySpan<byte> line, out long sequence, out Task durable)
    {
        sequence = Interlocked.Increment(ref _ring!.Counter.Value);
        return AppendSequenced(sequence, line, out durable);
    }

    /// <summary>
    /// Appends the line of the event numbered <paramref name="sequence"/> (empty: the event is not
    /// stored, its number is passed over) without taking the log's lock: the line is copied into the
    /// ring slot of its number, and the committer (or a writer finding the ring full) moves lines
    /// into the pending buffer in number order. <paramref name="durable"/> is the batch the line
    /// joins, as for <see cref="TryAppend(ReadOnlySpan{byte}, out Task)"/>. Never throws, never waits for I/O.
    /// </summary>
    /// <param name="sequence">A number the attached counter handed out (see <see cref="AttachSequence"/>).</param>
    /// <param name="line">The line, newline included; empty for none.</param>
    /// <param name="durable">Completes when the line is durable (faulted if it could not be written).</param>
    /// <returns><see cref="AppendStatus.Closed"/> when the number came after the log was closed.</returns>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public AppendStatus AppendSequenced(long sequence, ReadOnlySpan<byte> line, out Task durable)
    {
        SequencedRing ring = _ring!;
        durable = Task.CompletedTask;

        // The number was taken (an atomic increment, a full fence) before this looks: see Close.
        if (Volatile.Read(ref ring.Closing) != 0 && sequence > ring.WaitForLimit())
        {
            return AppendStatus.Closed;
        }

        long ahead = sequence - Volatile.Read(ref ring.Next);
        if (ahead >= SequencedRing.Size)
        {
            // The slot still holds a line from a lap ago (the committer is behind, or a line before
            // it is still being copied by a thread the system preempted): this writer does not wait,
            // its line goes aside until the ring reaches its number. It does not move lines out of
            // the ring before its own is placed: everyone after it would wait for that.
            ring.PutAside(sequence, line);
        }
        else
        {
            SequencedRing.Slot slot = ring.Slots[sequence & SequencedRing.Mask];
            if (line.Length > 0)
            {
                byte[]? bytes = slot.Bytes;
                if (bytes is null || bytes.Length < line.Length)
                {
                    slot.Bytes = bytes = new byte[Math.Max(line.Length, SequencedRing.SlotBytes)];
                }

                line.CopyTo(bytes);
            }

            slot.Length = line.Length;
            Volatile.Write(ref slot.Sequence, sequence);
        }

        // The committer moves lines out when it seals a batch; while it writes and syncs (a few
        // milliseconds) appenders keep the ring from filling up: every 16th number, once the ring
        // is half full, moves what is ready, if the lock is free. (Not every line that goes aside:
        // while a preempted writer holds the ring up, that made every writer take the lock in turn.)
        if ((sequence & 15) == 0 && ahead >= SequencedRing.Size / 2)
        {
            TryDrainRing(ring);
        }

        // Read after the number was taken: a committer that sealed the batch read here swapped it
        // before reading the counter, so it saw this number and moved this line into that batch.
        durable = Volatile.Read(ref _batch)!.Task;
        if (Volatile.Read(ref _committerActive) == 0 && Interlocked.CompareExchange(ref _committerActive, 1, 0) == 0)
        {
            StartCommitter();
        }

        return AppendStatus.Accepted;
    }

    // Moves the lines ready in the ring into the pending buffer if the lock is free; never blocks on it.
    private bool TryDrainRing(SequencedRing ring)
    {
        if (!_lock.TryEnter())
        {
            return false;
        }

        try
        {
            DrainRingLocked(Math.Min(Volatile.Read(ref ring.Counter.Value), Volatile.Read(ref ring.Limit)), wait: false);
        }
        finally
        {
            _lock.Exit();
        }

        return true;
    }

    // Moves the ring's lines, in number order, up to upTo into the pending buffer (counted in the
    // open batch), or among the parked lines while maintenance holds the file. With wait, a line
    // still being copied is waited for (its writer holds a number up to upTo and needs no lock to
    // finish); without, the move stops there.
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void DrainRingLocked(long upTo, bool wait)
    {
        SequencedRing ring = _ring!;
        long next = ring.Next;
        if (next > upTo)
        {
            return;
        }

        bool suspended = _suspended;
        Exception? openError = null;
        if (!suspended && _handle is null)
        {
            try
            {
                EnsureOpenLocked();
            }
            catch (Exception e)
            {
                openError = e;
            }
        }

        int lost = 0;
        var spinner = default(SpinWait);
        while (next <= upTo)
        {
            SequencedRing.Slot slot = ring.Slots[next & SequencedRing.Mask];
            if (Volatile.Read(ref slot.Sequence) == next)
            {
                if (slot.Length > 0)
                {
                    TakeLineLocked(slot.Bytes.AsSpan(0, slot.Length), suspended, openError, ref lost);
                    if (slot.Length > SequencedRing.MaxKeptSlotBytes)
                    {
                        slot.Bytes = null;
                    }
                }

                // Frees the slot for the number a lap ahead, after its bytes were read.
                next++;
                Volatile.Write(ref ring.Next, next);
                continue;
            }

            // Lines aside come in runs (every writer while the ring was held up): taken a run at a time.
            if (Volatile.Read(ref ring.AsideCount) > 0)
            {
                int taken = ring.TakeAside(next, upTo, this, suspended, openError, ref lost);
                if (taken > 0)
                {
                    next += taken;
                    Volatile.Write(ref ring.Next, next);
                    continue;
                }
            }

            if (!wait)
            {
                break;
            }

            // Its writer has the number and copies without the lock: no 1 ms sleeps.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (openError is not null && lost > 0)
        {
            // The open batch's writers must not be told their lines are durable: its seal fails it.
            _ringError ??= openError;
            Failed(null, lost, openError);
        }
    }

    // A numbered line leaving the ring: into the pending buffer (counted in the open batch), among
    // the parked lines while maintenance holds the file, or lost when the file cannot be opened.
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void TakeLineLocked(ReadOnlySpan<byte> line, bool suspended, Exception? openError, ref int lost)
    {
        if (suspended)
        {
            ParkLocked(line);
            _ring!.ParkedLines++;
        }
        else if (openError is null)
        {
            AddPendingLocked(line);
            _batchRecords++;
            _batchBytes += line.Length;
        }
        else
        {
            lost++;
        }
    }

    // Swaps the open batch for a new one and moves every line numbered so far into the pending
    // buffer: the sealed batch's writers took their numbers before it was swapped, so they are all
    // at or below the counter read after the swap. Not while maintenance holds the file.
    private TaskCompletionSource SealRingBatchLocked(long? upTo, out int records, out long bytes)
    {
        Debug.Assert(!_suspended, "a batch is not sealed while its lines would be parked");
        SequencedRing ring = _ring!;
        TaskCompletionSource sealedBatch = _batch!;
        Volatile.Write(ref _batch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.MemoryBarrier();
        DrainRingLocked(upTo ?? Volatile.Read(ref ring.Counter.Value), wait: true);
        records = _batchRecords;
        bytes = _batchBytes;
        _batchRecords = 0;
        _batchBytes = 0;
        if (_ringError is { } error)
        {
            _ringError = null;
            sealedBatch.TrySetException(error);
        }

        return sealedBatch;
    }

    // The committer's step in ring mode: the sealed batch to write and sync, or null when there is
    // nothing to write (a batch with no new line is complete at once: every line it could cover
    // was written and synced by an earlier step) or maintenance holds the file (lines are parked).
    private TaskCompletionSource? SealRingBatchForCommitLocked(out int records, out long bytes)
    {
        records = 0;
        bytes = 0;
        if (_closed)
        {
            return null;
        }

        if (_suspended)
        {
            DrainRingLocked(Volatile.Read(ref _ring!.Counter.Value), wait: true);
            return null;
        }

        TaskCompletionSource sealedBatch = SealRingBatchLocked(null, out records, out bytes);
        if (records == 0 && _pendingLength == 0)
        {
            sealedBatch.TrySetResult();
            return null;
        }

        return sealedBatch;
    }

    // The committer runs on a thread of its own, not the thread pool's: a work item
    // queued there waited behind the actors' turns (workers take their local queues first), and
    // lines piled up meanwhile (a 100,000-actor burst saw 3 commits, and a pending buffer of 32 MB).
    private void StartCommitter() => _committer.Signal();

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
            if (_ring is not null && !_suspended && !_closed)
            {
                TaskCompletionSource sealedBatch = SealRingBatchLocked(null, out int records, out long bytes);
                CommitSealedLocked(sealedBatch, records, bytes);
                return;
            }

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

            if (_ring is not null && !_closed)
            {
                // Numbered lines so far belong to the file being released: written and synced with it.
                TaskCompletionSource sealedBatch = SealRingBatchLocked(null, out int records, out long bytes);
                _suspended = true;
                CommitSealedLocked(sealedBatch, records, bytes);
                RetireHandleLocked(fsync: false);
                return new Suspension(this);
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
            try
            {
                CloseLocked();
            }
            finally
            {
                if (_closed)
                {
                    // Nothing appends to a closed log: its buffers go back to the pool.
                    StoreBuffers.Return(_pending);
                    _pending = [];
                    _pendingLength = 0;
                    if (_spare is not null)
                    {
                        StoreBuffers.Return(_spare);
                        _spare = null;
                    }
                }
            }
        }
    }

    private void CloseLocked()
    {
        WaitForWriterLocked();
        if (_closed)
        {
            return;
        }

        if (_ring is not null)
        {
            CloseRingLocked();
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

    // Writes and syncs the pending buffer for a sealed batch, and settles it.
    private void CommitSealedLocked(TaskCompletionSource sealedBatch, int records, long bytes)
    {
        try
        {
            CommitPendingLocked(sync: true);
        }
        catch (Exception e)
        {
            _lostByFailedWrite = 0; // the batch's own records, counted here
            Failed(sealedBatch, records, e);
            throw;
        }

        Metrics?.RecordWrite(records, bytes);
        sealedBatch.TrySetResult();
    }

    // Close in ring mode: numbers handed out before the close began are written (their writers
    // finish copying without the lock), later ones are refused. An append reads Closing after
    // taking its number, and this reads the counter after setting it (both full fences): an
    // append that did not see Closing has a number at or below the limit.
    private void CloseRingLocked()
    {
        SequencedRing ring = _ring!;
        Volatile.Write(ref ring.Closing, 1);
        Interlocked.MemoryBarrier();
        long limit = Volatile.Read(ref ring.Counter.Value);
        Volatile.Write(ref ring.Limit, limit);
        TaskCompletionSource? sealedBatch = null;
        int records = 0;
        long bytes = 0;
        if (_suspended)
        {
            DrainRingLocked(limit, wait: true);
        }
        else
        {
            sealedBatch = SealRingBatchLocked(limit, out records, out bytes);
        }

        _closed = true;
        TaskCompletionSource open = _batch!;
        try
        {
            if (_handle is not null)
            {
                CommitPendingLocked(sync: true);
                RetireHandleLocked(fsync: false);
            }

            if (sealedBatch is not null)
            {
                Metrics?.RecordWrite(records, bytes);
                sealedBatch.TrySetResult();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _lostByFailedWrite = 0;
            if (sealedBatch is not null)
            {
                Failed(sealedBatch, records, e);
            }

            open.TrySetException(e);
            throw;
        }
        finally
        {
            TakeParkedLocked(out TaskCompletionSource? parked, out int parkedRecords);
            if (parkedRecords > 0)
            {
                var error = new ObjectDisposedException(_path, $"The store '{_path}' was closed while maintenance held it; records written meanwhile were not appended.");
                Failed(parked, parkedRecords, error);
                if (ring.ParkedLines > 0)
                {
                    // Numbered lines parked meanwhile: their writers hold the open batch.
                    open.TrySetException(error);
                }
            }

            ring.ParkedLines = 0;
            ring.ReleaseAside();

            // Anyone else holding the open batch took a number at or below the limit: written and synced above.
            open.TrySetResult();
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
            if (_ring is not null)
            {
                // Numbered lines among them join the open batch, which their writers already hold.
                _ring.ParkedLines = 0;
            }

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
                TaskCompletionSource? next = _ring is null ? TakeBatchLocked(out records, out bytes) : SealRingBatchForCommitLocked(out records, out bytes);
                if (next is null)
                {
                    if (ContinueAfterIdleLocked())
                    {
                        continue;
                    }

                    return;
                }

                batch = next;
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
                    _pending = _spare ?? StoreBuffers.Rent(16 * 1024);
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
                    else
                    {
                        StoreBuffers.Return(data);
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

    // The batch appends through the lock joined (null: none), its counts reset for the next one.
    private TaskCompletionSource? TakeBatchLocked(out int records, out long bytes)
    {
        TaskCompletionSource? batch = _batch;
        records = _batchRecords;
        bytes = _batchBytes;
        _batch = null;
        _batchRecords = 0;
        _batchBytes = 0;
        return batch;
    }

    // The committer found nothing to commit: it stops, unless work arrived meanwhile (then it
    // carries on). Numbered appends start a committer without the lock when they see none
    // running: this clears the flag before it looks at the event counter, and they take their
    // number before they look at the flag, so either it sees their number or they see the flag clear.
    private bool ContinueAfterIdleLocked()
    {
        Volatile.Write(ref _committerActive, 0);
        Interlocked.MemoryBarrier();
        bool more = _ring is { } ring
            ? _batchRecords > 0 || (!_closed && Volatile.Read(ref ring.Counter.Value) >= ring.Next)
            : _batch is not null;
        return more && Interlocked.CompareExchange(ref _committerActive, 1, 0) == 0;
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

    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void AddPendingLocked(ReadOnlySpan<byte> line)
    {
        if (_pending.Length - _pendingLength < line.Length)
        {
            byte[] larger = StoreBuffers.Rent(Math.Max(_pending.Length * 2, _pendingLength + line.Length));
            _pending.AsSpan(0, _pendingLength).CopyTo(larger);
            StoreBuffers.Return(_pending);
            _pending = larger;
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
            if (_ring is null && _batch is { } open)
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
            StoreBuffers.Return(_pending);
            _pending = StoreBuffers.Rent(16 * 1024);
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
        if (Volatile.Read(ref _committerActive) != 0)
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
        if (_ring is not null)
        {
            // Numbered appends hold the open batch without the lock: only a seal completes it.
            return;
        }

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

    /// <summary>
    /// The numbered lines on their way to the pending buffer: slot <c>n % Size</c> holds the line
    /// numbered <c>n</c> once <see cref="Slot.Sequence"/> says so; it is free again once
    /// <see cref="Next"/> has passed <c>n</c>.
    /// </summary>
    private sealed class SequencedRing(EventSequence counter, long first)
    {
        public const int Size = 4096;
        public const int Mask = Size - 1;
        public const int SlotBytes = 256;
        public const int MaxKeptSlotBytes = 16 * 1024;

        public readonly EventSequence Counter = counter;
        public readonly Slot[] Slots = CreateSlots(first);

        /// <summary>The next number to move out of the ring; written under the log's lock.</summary>
        public long Next = first;

        /// <summary>1 once the log is closing: numbers above <see cref="Limit"/> are not appended.</summary>
        public int Closing;

        /// <summary>The last number the closing log writes; long.MaxValue until it is known.</summary>
        public long Limit = long.MaxValue;

        // Lines whose slot was still taken when they came (a line behind them was still being
        // copied): their bytes one after the other in a pooled buffer, found by number. Only
        // while the ring is stalled, under a lock of its own.
        private readonly Lock _asideLock = new();
        private readonly Dictionary<long, (int Offset, int Length)> _asideIndex = [];
        private byte[] _aside = [];
        private int _asideUsed;

        /// <summary>How many lines are aside (counted after they are added): the drain looks there only when it is not 0.</summary>
        public int AsideCount;

        public void PutAside(long sequence, ReadOnlySpan<byte> line)
        {
            lock (_asideLock)
            {
                if (_aside.Length - _asideUsed < line.Length)
                {
                    byte[] larger = StoreBuffers.Rent(Math.Max(64 * 1024, Math.Max(2 * _aside.Length, _asideUsed + line.Length)));
                    _aside.AsSpan(0, _asideUsed).CopyTo(larger);
                    if (_aside.Length > 0)
                    {
                        StoreBuffers.Return(_aside);
                    }

                    _aside = larger;
                }

                line.CopyTo(_aside.AsSpan(_asideUsed));
                _asideIndex[sequence] = (_asideUsed, line.Length);
                _asideUsed += line.Length;
            }

            Interlocked.Increment(ref AsideCount);
        }

        /// <summary>Gives the buffer of lines aside back once the log is closed (every number it writes has left the ring).</summary>
        public void ReleaseAside()
        {
            lock (_asideLock)
            {
                if (_aside.Length > 0 && _asideIndex.Count == 0)
                {
                    StoreBuffers.Return(_aside);
                    _aside = [];
                    _asideUsed = 0;
                }
            }
        }

        /// <summary>
        /// Hands the lines numbered <paramref name="first"/>, <paramref name="first"/> + 1, ... (up to
        /// <paramref name="last"/>) that are aside to the log, in order, under one lock: returns how many
        /// (0 when <paramref name="first"/> is not aside, yet).
        /// </summary>
        public int TakeAside(long first, long last, GroupCommitLog log, bool suspended, Exception? openError, ref int lost)
        {
            int taken = 0;
            lock (_asideLock)
            {
                for (long sequence = first; sequence <= last && _asideIndex.Remove(sequence, out (int Offset, int Length) entry); sequence++)
                {
                    if (entry.Length > 0)
                    {
                        log.TakeLineLocked(_aside.AsSpan(entry.Offset, entry.Length), suspended, openError, ref lost);
                    }

                    taken++;
                }

                if (_asideIndex.Count == 0)
                {
                    _asideUsed = 0;
                }
            }

            if (taken > 0)
            {
                Interlocked.Add(ref AsideCount, -taken);
            }

            return taken;
        }

        /// <summary>Lines moved among the parked ones while maintenance holds the file (their writers hold the open batch).</summary>
        public int ParkedLines;

        public long WaitForLimit()
        {
            var spinner = default(SpinWait);
            long limit;
            while ((limit = Volatile.Read(ref Limit)) == long.MaxValue)
            {
                spinner.SpinOnce();
            }

            return limit;
        }

        private static Slot[] CreateSlots(long first)
        {
            // Allocated an eighth of the ring apart (0, 8, 16, ..., then 1, 9, ...): neighbouring
            // numbers, written at once by the emitting cores, are not on one cache line.
            var slots = new Slot[Size];
            for (int lane = 0; lane < 8; lane++)
            {
                for (int i = lane; i < Size; i += 8)
                {
                    slots[i] = new Slot();
                }
            }

            // A slot holds no number yet: every one reads as a lap behind the first.
            for (long n = first; n < first + Size; n++)
            {
                slots[n & Mask].Sequence = n - Size;
            }

            return slots;
        }

        public sealed class Slot
        {
            public long Sequence;
            public int Length;

            // Allocated when first used: a log that sees a few events does not pay for the whole ring.
            public byte[]? Bytes;
        }
    }

    /// <summary>
    /// A thread that runs <c>work</c> once per <see cref="Signal"/> (the callers signal only when they
    /// flip a flag from idle, so signals do not pile up), started on demand and ended after a second
    /// without work, so an idle or forgotten log keeps no thread.
    /// </summary>
    private sealed class Runner(string name, Action work)
    {
        private const int IdleMilliseconds = 1000;

        private readonly Lock _gate = new();
        private readonly SemaphoreSlim _signal = new(0);
        private bool _running;

        public void Signal()
        {
            _signal.Release();
            lock (_gate)
            {
                if (_running)
                {
                    return;
                }

                _running = true;
            }

            new Thread(Run) { IsBackground = true, Name = name }.Start();
        }

        private void Run()
        {
            while (true)
            {
                if (!_signal.Wait(IdleMilliseconds))
                {
                    lock (_gate)
                    {
                        // A signal given before this looked is taken on the next pass; one given after
                        // finds the thread gone and starts another.
                        if (_signal.CurrentCount == 0)
                        {
                            _running = false;
                            return;
                        }
                    }

                    continue;
                }

                work();
            }
        }
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
