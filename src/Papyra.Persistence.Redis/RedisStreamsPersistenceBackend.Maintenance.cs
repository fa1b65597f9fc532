using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Diagnostics;
using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Redis.Metrics;
using Papyra.Persistence.Retention;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>Maintenance: scan, recovery, compaction and metrics.</summary>
public sealed partial class RedisStreamsPersistenceBackend
{
    /// <summary>
    /// Checks the newest <see cref="RedisStreamsOptions.ScanSampleSize"/> entries (every entry when it is 0)
    /// without changing anything: an entry whose payload cannot be decoded is an
    /// <see cref="PersistenceAnomalyType.UndecodableEntry"/>; one that decodes to something that is not a
    /// valid record (no <c>kind</c>, unknown kind, no numeric <c>timestamp</c>, a <c>kind</c> field that
    /// disagrees with the payload) is an <see cref="PersistenceAnomalyType.InvalidRecord"/>. Each anomaly's
    /// path is the stream key and its detail starts with the entry id.
    /// </summary>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The scan report.</returns>
    /// <exception cref="IOException">Redis is unreachable (counted in <c>scan_errors</c>).</exception>
    public async ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default)
    {
        using Activity? activity = PersistenceActivities.StartScan(BackendName, Keys.Records);
        try
        {
            PersistenceScanReport report = await ScanCoreAsync(cancellationToken).ConfigureAwait(false);
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            PersistenceActivities.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<PersistenceScanReport> ScanCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            var anomalies = new List<PersistenceAnomaly>();
            long total = 0;
            long records = 0;
            long bytes = 0;
            long limit = Options.ScanSampleSize == 0 ? long.MaxValue : Options.ScanSampleSize;
            await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: true, limit, cancellationToken).ConfigureAwait(false))
            {
                foreach (StreamEntry entry in page)
                {
                    EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                    bytes += result.PayloadBytes;
                    if (result.Record is not null)
                    {
                        records++;
                        continue;
                    }

                    total++;
                    if (anomalies.Count < MaxReportedAnomalies)
                    {
                        anomalies.Add(ToAnomaly(entry, result));
                    }
                }
            }

            // The sample is read newest first; report it in stream order like a file scan.
            anomalies.Reverse();
            _metrics.RecordScan(total);
            return new PersistenceScanReport(BackendName, Keys.Records, anomalies, total, records, bytes);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _metrics.RecordScanError();
            throw Failure("scan", ex);
        }
    }

    /// <summary>
    /// Scans, then applies <paramref name="config"/>: <see cref="PersistenceRecoveryMode.Repair"/> moves
    /// every damaged entry of the whole stream (not only the scan's sample) to the quarantine stream
    /// (<see cref="RedisStreamKeys.Quarantine"/>: original fields under <c>original.</c>, plus
    /// <c>source</c>, <c>source_id</c>, <c>reason</c>, <c>moved_at</c>) and deletes it from the record
    /// stream, in one transaction per batch, so nothing disappears; valid entries are untouched.
    /// <see cref="PersistenceRecoveryMode.Quarantine"/> renames the whole stream, intact, to
    /// <see cref="RedisStreamKeys.QuarantinedStream"/> and lets writes start a fresh one.
    /// <see cref="PersistenceRecoveryMode.Ignore"/> reports only. A verification scan always follows.
    /// </summary>
    /// <param name="config">What to do; <see langword="null"/> means <see cref="PersistenceRecoveryMode.Ignore"/>. Its quarantine directory is not used.</param>
    /// <param name="cancellationToken">Cancels the recovery between batches.</param>
    /// <returns>The recovery report.</returns>
    /// <exception cref="IOException">Redis is unreachable (counted in <c>recovery_errors</c>).</exception>
    public async ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default)
    {
        PersistenceRecoveryMode mode = (config ?? PersistenceRecoveryConfig.Ignore).Mode;
        using Activity? activity = PersistenceActivities.StartRecover(BackendName, Keys.Records, mode);
        try
        {
            PersistenceRecoveryReport report = await RecoverCoreAsync(mode, cancellationToken).ConfigureAwait(false);
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            PersistenceActivities.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<PersistenceRecoveryReport> RecoverCoreAsync(PersistenceRecoveryMode mode, CancellationToken cancellationToken)
    {
        _metrics.RecordRecovery();
        PersistenceScanReport scan;
        try
        {
            scan = await ScanAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _metrics.RecordRecoveryError();
            throw;
        }

        if (mode == PersistenceRecoveryMode.Ignore || !scan.HasAnomalies)
        {
            return new PersistenceRecoveryReport(BackendName, mode, scan, scan, [], [], []);
        }

        try
        {
            var repaired = new List<string>();
            var quarantined = new List<string>();
            var rejected = new List<string>();
            if (mode == PersistenceRecoveryMode.Quarantine)
            {
                quarantined.Add(await QuarantineStreamAsync().ConfigureAwait(false));
            }
            else
            {
                long moved = await MoveDamagedEntriesAsync(cancellationToken).ConfigureAwait(false);
                if (moved > 0)
                {
                    repaired.Add(Keys.Records);
                    rejected.Add(Keys.Quarantine);
                }

                _logger.LogWarning("Redis recovery moved {Count} damaged entries of {Stream} to {Quarantine}.", moved, Keys.Records, Keys.Quarantine);
            }

            PersistenceScanReport verification = await ScanAsync(cancellationToken).ConfigureAwait(false);
            return new PersistenceRecoveryReport(BackendName, mode, scan, verification, repaired, quarantined, rejected);
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is IOException)
        {
            _metrics.RecordRecoveryError();
            throw ex as IOException ?? Failure("recovery", ex);
        }
    }

    /// <summary>
    /// Applies the retention policy physically: reads the whole stream, decides with
    /// <see cref="RetentionEvaluator"/> which records retention drops, and deletes them, moving damaged
    /// entries to the quarantine stream, all in one transaction (Redis applies it entirely or not at all).
    /// Records appended meanwhile are newer than everything read and are kept.
    /// </summary>
    /// <param name="cancellationToken">Cancels the compaction before the transaction is sent.</param>
    /// <returns>Entries and payload bytes before and after.</returns>
    /// <exception cref="IOException">Redis is unreachable (counted in <c>compaction_errors</c>).</exception>
    public async ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken = default)
    {
        using Activity? activity = PersistenceActivities.StartCompact(BackendName, Keys.Records);
        try
        {
            CompactionReport report = await CompactCoreAsync(cancellationToken).ConfigureAwait(false);
            PersistenceActivities.Complete(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            PersistenceActivities.Fail(activity, ex);
            throw;
        }
    }

    private async ValueTask<CompactionReport> CompactCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entries = new List<(RedisValue Id, long Bytes)>();
            var candidates = new List<RetentionCandidate>();
            var candidateEntry = new List<int>();
            var damaged = new List<(StreamEntry Entry, EntryDecodeResult Result)>();
            long beforeBytes = 0;
            await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: false, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                foreach (StreamEntry entry in page)
                {
                    EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                    beforeBytes += result.PayloadBytes;
                    entries.Add((entry.Id, result.PayloadBytes));
                    if (result.Record is { } record)
                    {
                        candidates.Add(new RetentionCandidate(record.Timestamp, result.PayloadBytes));
                        candidateEntry.Add(entries.Count - 1);
                    }
                    else
                    {
                        damaged.Add((entry, result));
                    }
                }
            }

            bool[] keep = RetentionEvaluator.Evaluate(candidates.ToArray(), Retention, RetentionEvaluator.UnixNow(_timeProvider));
            var drop = new List<RedisValue>();
            long droppedBytes = 0;
            for (int i = 0; i < keep.Length; i++)
            {
                if (!keep[i])
                {
                    (RedisValue id, long bytes) = entries[candidateEntry[i]];
                    drop.Add(id);
                    droppedBytes += bytes;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (drop.Count > 0 || damaged.Count > 0)
            {
                ITransaction transaction = _database.CreateTransaction();
                var pending = new List<Task>();
                string movedAt = UnixNowText();
                foreach ((StreamEntry entry, EntryDecodeResult result) in damaged)
                {
                    pending.Add(transaction.StreamAddAsync(Keys.Quarantine, QuarantineFields(entry, result, movedAt)));
                    drop.Add(entry.Id);
                    droppedBytes += result.PayloadBytes;
                }

                foreach (RedisValue[] chunk in drop.Chunk(1000))
                {
                    pending.Add(transaction.StreamDeleteAsync(_recordsKey, chunk));
                }

                if (!await transaction.ExecuteAsync().ConfigureAwait(false))
                {
                    throw new IOException($"Redis compaction of {Keys.Records} was not applied: the transaction was aborted.");
                }

                await Task.WhenAll(pending).ConfigureAwait(false);
            }

            _metrics.RecordCompaction();
            return new CompactionReport(BackendName, entries.Count, entries.Count - drop.Count, beforeBytes, beforeBytes - droppedBytes);
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is IOException)
        {
            _metrics.RecordCompactionError();
            throw ex as IOException ?? Failure("compaction", ex);
        }
    }

    /// <inheritdoc/>
    public PersistenceMetricsSnapshot GetMetricsSnapshot() => _metrics.Snapshot();

    /// <inheritdoc/>
    public void ResetMetrics() => _metrics.Reset();

    /// <summary>Publishes the metrics snapshot to <see cref="RedisStreamKeys.Metrics"/> now (a writing backend also publishes it every <see cref="RedisStreamsOptions.MetricsPublishInterval"/>, from its first successful write on).</summary>
    /// <param name="cancellationToken">Cancels the publication.</param>
    /// <returns>A task that completes when Redis stored the snapshot.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public Task PublishMetricsAsync(CancellationToken cancellationToken = default)
        => RedisMetricsPublisher.PublishAsync(_database, Options, GetMetricsSnapshot(), Options.MetricsPublishInterval, _timeProvider, cancellationToken);

    private async Task<long> MoveDamagedEntriesAsync(CancellationToken cancellationToken)
    {
        long moved = 0;
        var batch = new List<(StreamEntry Entry, EntryDecodeResult Result)>(MoveBatchSize);
        await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: false, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            foreach (StreamEntry entry in page)
            {
                EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                if (result.Record is null)
                {
                    batch.Add((entry, result));
                }
            }

            if (batch.Count >= MoveBatchSize)
            {
                moved += await MoveAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            moved += await MoveAsync(batch).ConfigureAwait(false);
        }

        return moved;
    }

    private async Task<long> MoveAsync(List<(StreamEntry Entry, EntryDecodeResult Result)> batch)
    {
        // Copy and delete in one transaction: an entry is never in both streams or in neither.
        ITransaction transaction = _database.CreateTransaction();
        string movedAt = UnixNowText();
        var pending = new List<Task>(batch.Count + 1);
        foreach ((StreamEntry entry, EntryDecodeResult result) in batch)
        {
            pending.Add(transaction.StreamAddAsync(Keys.Quarantine, QuarantineFields(entry, result, movedAt)));
        }

        pending.Add(transaction.StreamDeleteAsync(_recordsKey, [.. batch.Select(b => b.Entry.Id)]));
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new IOException($"Redis recovery of {Keys.Records} was not applied: the transaction was aborted.");
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return batch.Count;
    }

    private async Task<string> QuarantineStreamAsync()
    {
        long epochMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            string target = Keys.QuarantinedStream(epochMs);
            if (await _database.KeyRenameAsync(_recordsKey, target, When.NotExists).ConfigureAwait(false))
            {
                _logger.LogWarning("Redis recovery quarantined stream {Stream} as {Quarantine}; new records start a fresh stream.", Keys.Records, target);
                return target;
            }

            epochMs++;
        }
    }

    private NameValueEntry[] QuarantineFields(StreamEntry entry, EntryDecodeResult result, string movedAt)
        => RedisRecordCodec.WithOriginal(
            entry,
            new NameValueEntry(RedisEntryFields.Source, Keys.Records),
            new NameValueEntry(RedisEntryFields.SourceId, entry.Id),
            new NameValueEntry(RedisEntryFields.Reason, $"{result.Problem}: {result.Detail}"),
            new NameValueEntry(RedisEntryFields.MovedAt, movedAt));

    private string UnixNowText() => RetentionEvaluator.UnixNow(_timeProvider).ToString("R", CultureInfo.InvariantCulture);

    private PersistenceAnomaly ToAnomaly(StreamEntry entry, EntryDecodeResult result)
        => new(result.Problem ?? PersistenceAnomalyType.UndecodableEntry, Keys.Records, null, null, $"entry {(string?)entry.Id}: {result.Detail}");
}
