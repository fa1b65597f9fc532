using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Papyra.Diagnostics;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Reading;
using Papyra.Persistence.Retention;
using Papyra.Persistence.Scanning;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Files;

/// <summary>
/// The engine behind the JSON-lines and rotating backends: durable appends (group commit), lenient
/// reads with retention, streaming scans, recovery with sidecars and quarantine, and atomic
/// compaction, over the files a <see cref="IFileSetLayout"/> names.
/// </summary>
internal sealed class LineFileStore : IAsyncDisposable
{

    private readonly FileStoreSettings _settings;
    private readonly IFileSetLayout _layout;
    private readonly GroupCommitLog _log;
    private readonly MetricsFilePublisher? _publisher;
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private int _disposed;
    private FileStreamReader? _streaming;

    /// <summary>Test seam: runs inside a compaction once writers are suspended, before any file is read.</summary>
    internal Action? CompactionWritesSuspended { get; set; }

    public LineFileStore(FileStoreSettings settings, IFileSetLayout layout, Func<PersistenceMetricsRecorder, IRotationHook>? rotationHook = null)
    {
        _settings = settings;
        _layout = layout;
        _log = new GroupCommitLog(settings.Path, settings.Durability, settings.Logger) { RotationHook = rotationHook?.Invoke(Metrics), Metrics = Metrics };
        if (settings.PublishMetrics)
        {
            _publisher = new MetricsFilePublisher(settings.Path, settings.BackendName, Metrics, settings.TimeProvider, settings.MetricsPublishInterval, settings.Logger);
        }
    }

    public PersistenceMetricsRecorder Metrics { get; } = new();

    /// <summary>Streaming, newest-first, resumable and followed reads of the store's files.</summary>
    public FileStreamReader Streaming => _streaming ??= new FileStreamReader(_settings, _layout, _log.Flush);

    private ILogger Logger => _settings.Logger;

    /// <summary>
    /// Whether <see cref="AppendSerialized(ReadOnlySpan{byte}, out Task)"/> never waits for I/O: true in Fsync mode (the committer
    /// writes) and None mode (a buffer-sized write now and then) without rotation; false in Flush
    /// mode (a write per record) and when appending may rotate files (an fsync of the old file).
    /// </summary>
    public bool AppendsInline => _settings.Durability != PersistenceDurability.Flush && !_log.HasRotation;

    public ValueTask WriteAsync(PersistedRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        Append(record, out Task durable);

        // The batch counts and logs its writes when it settles; only a cancellable wait needs a wrapper.
        return durable.IsCompleted || !cancellationToken.CanBeCanceled ? new ValueTask(durable) : new ValueTask(durable.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Serialises a record into the calling thread's buffer (valid until the thread serialises
    /// again), checked against the line limit. A failure is counted, logged and thrown.
    /// </summary>
    public ReadOnlySpan<byte> Serialize(PersistedRecord record)
    {
        try
        {
            ReadOnlySpan<byte> line = PersistedRecordSerializer.SerializeToThreadBuffer(record);
            if (line.Length - 1 > _settings.MaxLineBytes)
            {
                throw new ArgumentException(
                    $"The {PersistedRecordKinds.ToWireName(record.Kind)} record serialises to {line.Length - 1} bytes, more than the store's MaxLineBytes ({_settings.MaxLineBytes}); it was not written.",
                    nameof(record));
            }

            return line;
        }
        catch (Exception e)
        {
            Failed(e);
            throw;
        }
    }

    /// <summary>As <see cref="Serialize"/> for an event given by its fields, without a record object (the same bytes).</summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public int SerializeEvent(System.Buffers.IBufferWriter<byte> destination, string systemId, ActorAddress? address, string eventType, System.Text.Json.JsonElement? payload, double timestamp)
    {
        try
        {
            int length = RecordJsonWriter.WriteEventLine(destination, systemId, address, eventType, payload, timestamp);
            if (length - 1 > _settings.MaxLineBytes)
            {
                throw new ArgumentException(
                    $"The {PersistedRecordKinds.ToWireName(PersistedRecordKind.Event)} record serialises to {length - 1} bytes, more than the store's MaxLineBytes ({_settings.MaxLineBytes}); it was not written.",
                    "record");
            }

            return length;
        }
        catch (Exception e)
        {
            Failed(e);
            throw;
        }
    }

    /// <summary>
    /// Appends a line <see cref="Serialize"/> produced, on the caller's thread. <paramref name="durable"/>
    /// completes as <see cref="WriteAsync"/>'s task would (faulted when the line could not be written);
    /// never throws. While maintenance holds the file the line is parked and appended, in order, after it.
    /// </summary>
    public void AppendSerialized(ReadOnlySpan<byte> line, out Task durable) => AppendSerialized<object?>(line, null, null, out durable);

    /// <summary>As <see cref="AppendSerialized(ReadOnlySpan{byte}, out Task)"/>; <paramref name="onPlaced"/> runs with <paramref name="state"/> under the log's lock once the line has its place.</summary>
    public void AppendSerialized<TState>(ReadOnlySpan<byte> line, Action<TState>? onPlaced, TState? state, out Task durable)
    {
        GroupCommitLog.AppendStatus status;
        try
        {
            status = _log.TryAppend(line, onPlaced, state, out durable);
        }
        catch (Exception e)
        {
            // The log counted and logged it (once per outage).
            durable = Task.FromException(e);
            return;
        }

        if (status == GroupCommitLog.AppendStatus.Accepted)
        {
            _publisher?.EnsureStarted();

            // None and Flush modes: written now (an Fsync batch counts its writes when it settles).
            if (durable.IsCompletedSuccessfully && _settings.Durability != PersistenceDurability.Fsync)
            {
                Metrics.RecordWrite(1, line.Length);
            }
        }
    }

    /// <summary>Lets a system number its events for the log, which then appends them without its lock (Fsync mode without rotation).</summary>
    public bool TryAttachSequence(EventSequence sequence) => _log.AttachSequence(sequence);

    /// <summary>Appends an event's line under the next number (see <see cref="GroupCommitLog.AppendNextSequenced"/>); never throws.</summary>
    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void AppendNextNumbered(ReadOnlySpan<byte> line, out long sequence, out Task durable)
    {
        if (_log.AppendNextSequenced(line, out sequence, out durable) == GroupCommitLog.AppendStatus.Accepted && line.Length > 0)
        {
            _publisher?.EnsureStarted();
        }
    }

    private void Append(PersistedRecord record, out Task durable)
    {
        AppendSerialized(Serialize(record), out durable);
        if (durable.IsFaulted)
        {
            durable.GetAwaiter().GetResult();
        }
    }

    private void Failed(Exception e)
    {
        Metrics.RecordWriteError();
        Logger.LogError(e, "Writing a record to persistence store {Path} failed.", _settings.Path);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _log.Flush();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<PersistenceReadResult<T>> ReadAsync<T>(PersistedRecordKind kind, PersistenceQuery? query, CancellationToken cancellationToken)
        where T : PersistedRecord
    {
        StoreFiles.ThrowIfNotRegularFile(_settings.Path);
        _log.Flush();
        try
        {
            PersistenceReadResult<T> result = await Task.Run(
                () =>
                {
                    using FileSetSnapshot files = FileSetSnapshot.Open(_layout);
                    return FileSetReader.Read<T>(
                        files, kind, _settings.Retention, RetentionEvaluator.UnixNow(_settings.TimeProvider),
                        query, _settings.Limits, cancellationToken);
                },
                cancellationToken).ConfigureAwait(false);
            Metrics.RecordRead(result.Records.Count);
            Metrics.RecordReadErrors(result.SkippedRecords);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Metrics.RecordReadErrors(1);
            throw;
        }
    }

    public async ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken)
    {
        using Activity? activity = PersistenceActivities.StartScan(_settings.BackendName, _settings.Path);
        try
        {
            _log.Flush();
            ScanResult result = await Task.Run(() => ScanCore(cancellationToken), cancellationToken).ConfigureAwait(false);
            Metrics.RecordScan(result.Report.TotalAnomalies);
            PersistenceActivities.Complete(activity, result.Report);
            return result.Report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Metrics.RecordScanError();
            PersistenceActivities.Fail(activity, e);
            throw;
        }
    }

    public async ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config, CancellationToken cancellationToken)
    {
        config ??= PersistenceRecoveryConfig.Ignore;
        using Activity? activity = PersistenceActivities.StartRecover(_settings.BackendName, _settings.Path, config.Mode);
        await _maintenance.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PersistenceRecoveryReport report = await Task.Run(() => RecoverCore(config, cancellationToken), cancellationToken).ConfigureAwait(false);
            Metrics.RecordRecovery();
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Metrics.RecordRecoveryError();
            PersistenceActivities.Fail(activity, e);
            Logger.LogError(e, "Recovery of persistence store {Path} failed.", _settings.Path);
            throw;
        }
        finally
        {
            _maintenance.Release();
        }
    }

    public async ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken)
    {
        using Activity? activity = PersistenceActivities.StartCompact(_settings.BackendName, _settings.Path);
        await _maintenance.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CompactionReport report = await Task.Run(() => CompactCore(cancellationToken), cancellationToken).ConfigureAwait(false);
            Metrics.RecordCompaction();
            PersistenceActivities.Complete(activity, report);
            Logger.LogInformation(
                "Compacted persistence store {Path}: {Before} -> {After} records, {BeforeBytes} -> {AfterBytes} bytes.",
                _settings.Path, report.BeforeRecords, report.AfterRecords, report.BeforeBytes, report.AfterBytes);
            return report;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Metrics.RecordCompactionError();
            PersistenceActivities.Fail(activity, e);
            Logger.LogError(e, "Compaction of persistence store {Path} failed.", _settings.Path);
            throw;
        }
        finally
        {
            _maintenance.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            _log.Close();
        }
        finally
        {
            _publisher?.Dispose();
            _maintenance.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private ScanResult ScanCore(CancellationToken cancellationToken)
    {
        StoreFiles.ThrowIfNotRegularFile(_settings.Path);
        var anomalies = new AnomalyCollector(_settings.MaxReportedAnomalies);
        _layout.AddLayoutAnomalies(anomalies);
        var damaged = new List<string>();
        long records = 0;
        long bytes = 0;
        // Opened together: a rotation during the scan neither skips a file nor scans one twice.
        using FileSetSnapshot files = FileSetSnapshot.Open(_layout);
        foreach (FileSetSnapshot.Member file in files.Files)
        {
            long before = anomalies.Total;
            LineFileScanner.Totals totals = LineFileScanner.Scan(file, _settings.Limits, anomalies, cancellationToken);
            records += totals.Records;
            bytes += totals.Bytes;
            if (anomalies.Total > before)
            {
                damaged.Add(file.Path);
            }
        }

        return new ScanResult(
            new PersistenceScanReport(_settings.BackendName, _settings.Path, [.. anomalies.Kept], anomalies.Total, records, bytes),
            damaged);
    }

    private PersistenceRecoveryReport RecoverCore(PersistenceRecoveryConfig config, CancellationToken cancellationToken)
    {
        ScanResult scan = ScanCore(cancellationToken);
        Metrics.RecordScan(scan.Report.TotalAnomalies);
        var repaired = new List<string>();
        var quarantined = new List<string>();
        var rejected = new List<string>();
        if (config.Mode != PersistenceRecoveryMode.Ignore && scan.Report.HasAnomalies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using GroupCommitLog.Suspension suspension = _log.Suspend();
            StoreFiles.DeleteStaleTemps(_settings.Path);
            if (config.Mode == PersistenceRecoveryMode.Quarantine)
            {
                Quarantine(config, scan.DamagedFiles, quarantined);
            }
            else
            {
                Repair(scan.DamagedFiles, repaired, rejected, quarantined, cancellationToken);
            }
        }

        ScanResult verification = ScanCore(CancellationToken.None);
        Metrics.RecordScan(verification.Report.TotalAnomalies);
        var report = new PersistenceRecoveryReport(_settings.BackendName, config.Mode, scan.Report, verification.Report, repaired, quarantined, rejected);
        if (scan.Report.HasAnomalies)
        {
            Logger.Log(
                report.IsClean ? LogLevel.Warning : LogLevel.Error,
                "Recovery ({Mode}) of persistence store {Path}: {Found} anomalies found, {Remaining} remain; repaired {Repaired}, quarantined {Quarantined}, rejected lines in {Rejected}.",
                config.Mode, _settings.Path, scan.Report.TotalAnomalies, verification.Report.TotalAnomalies,
                string.Join(", ", repaired), string.Join(", ", quarantined), string.Join(", ", rejected));
        }

        return report;
    }

    private void Repair(IReadOnlyList<string> damagedFiles, List<string> repaired, List<string> rejected, List<string> movedAside, CancellationToken cancellationToken)
    {
        foreach (string file in damagedFiles)
        {
            LineFileRewriter.Outcome outcome = LineFileRewriter.Rewrite(file, _settings.Limits, keepValid: null, deleteWhenEmpty: false, _settings.TimeProvider, cancellationToken);
            repaired.Add(file);
            if (outcome.Sidecar is { } sidecar)
            {
                rejected.Add(sidecar);
            }
        }

        foreach ((string path, bool repairable) in _layout.FilesToMoveAside())
        {
            if (repairable)
            {
                movedAside.Add(MoveAside(path, StoreFiles.DirectoryOf(path)));
            }
        }
    }

    private void Quarantine(PersistenceRecoveryConfig config, IReadOnlyList<string> damagedFiles, List<string> quarantined)
    {
        string directory = config.QuarantineDirectory is { } dir ? Path.GetFullPath(dir) : StoreFiles.DirectoryOf(_settings.Path);
        if (File.Exists(directory))
        {
            throw new IOException($"The quarantine directory '{directory}' is a file.");
        }

        Directory.CreateDirectory(directory);
        foreach (string file in damagedFiles)
        {
            string moved = MoveAside(file, directory);
            quarantined.Add(moved);
            if (string.Equals(file, _settings.Path, StringComparison.Ordinal))
            {
                // Start a clean store (with the old one's mode and owner); the quarantined copy keeps the original bytes intact.
                using (File.Create(file))
                {
                }

                StoreFiles.CopyOwnership(moved, file);

                StoreFiles.FsyncDirectory(StoreFiles.DirectoryOf(file));
            }
        }

        foreach ((string path, _) in _layout.FilesToMoveAside())
        {
            quarantined.Add(MoveAside(path, directory));
        }
    }

    private string MoveAside(string path, string directory)
    {
        string target = StoreFiles.UniqueTimestampedPath(directory, Path.GetFileName(path), "quarantine", _settings.TimeProvider);
        if (Directory.Exists(path))
        {
            Directory.Move(path, target);
        }
        else
        {
            File.Move(path, target);
        }

        StoreFiles.FsyncDirectory(directory);
        StoreFiles.FsyncDirectory(StoreFiles.DirectoryOf(path));
        return target;
    }

    private CompactionReport CompactCore(CancellationToken cancellationToken)
    {
        StoreFiles.ThrowIfNotRegularFile(_settings.Path);
        using GroupCommitLog.Suspension suspension = _log.Suspend();
        CompactionWritesSuspended?.Invoke();
        StoreFiles.DeleteStaleTemps(_settings.Path);
        IReadOnlyList<string> files = _layout.DataFilesOldestFirst();
        var candidates = new List<RetentionCandidate>();
        var perFile = new (long Valid, bool NeedsRewrite)[files.Count];
        long beforeBytes = 0;
        for (int i = 0; i < files.Count; i++)
        {
            long valid = 0;
            bool damaged = false;
            FileSetReader.ForEachLine([files[i]], _settings.MaxLineBytes, cancellationToken, (in NdjsonLine line, ReadOnlySpan<byte> bytes) =>
            {
                if (LineClassifier.Classify(line, bytes, _settings.MaxNestingDepth, out _, out double timestamp) == RecordLineProblem.None)
                {
                    candidates.Add(new RetentionCandidate(timestamp, line.Length + 1));
                    valid++;
                    damaged |= !line.HasNewline;
                }
                else
                {
                    damaged = true;
                }
            });
            perFile[i] = (valid, damaged);
            beforeBytes += new FileInfo(files[i]).Length;
        }

        bool[] keep = _settings.Retention.IsUnlimited
            ? [.. Enumerable.Repeat(true, candidates.Count)]
            : RetentionEvaluator.Evaluate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates), _settings.Retention, RetentionEvaluator.UnixNow(_settings.TimeProvider));
        long afterRecords = 0;
        long afterBytes = 0;
        long rejectedLines = 0;
        var rejectedFiles = new List<string>();
        int offset = 0;
        for (int i = 0; i < files.Count; i++)
        {
            int first = offset;
            long kept = 0;
            for (long n = 0; n < perFile[i].Valid; n++)
            {
                kept += keep[first + n] ? 1 : 0;
            }

            offset += (int)perFile[i].Valid;
            afterRecords += kept;
            if (!perFile[i].NeedsRewrite && kept == perFile[i].Valid)
            {
                afterBytes += new FileInfo(files[i]).Length;
                continue;
            }

            bool primary = string.Equals(files[i], _settings.Path, StringComparison.Ordinal);
            LineFileRewriter.Outcome outcome = LineFileRewriter.Rewrite(
                files[i], _settings.Limits, n => keep[first + n], deleteWhenEmpty: !primary, _settings.TimeProvider, cancellationToken);
            afterBytes += outcome.BytesAfter;
            if (outcome.Sidecar is { } sidecar)
            {
                rejectedLines += outcome.RejectedLines;
                rejectedFiles.Add(sidecar);
                Logger.LogWarning("Compaction moved {Count} damaged lines of {Path} to {Sidecar}.", outcome.RejectedLines, files[i], sidecar);
            }
        }

        return new CompactionReport(_settings.BackendName, candidates.Count, afterRecords, beforeBytes, afterBytes)
        {
            RejectedLines = rejectedLines,
            RejectedFiles = rejectedFiles,
        };
    }

    private sealed record ScanResult(PersistenceScanReport Report, IReadOnlyList<string> DamagedFiles);
}
