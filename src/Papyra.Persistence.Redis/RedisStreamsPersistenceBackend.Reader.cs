using System.Runtime.CompilerServices;
using Papyra.Persistence.Reading;
using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Retention;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>The reader: list reads, streaming and followed reads, counts.</summary>
public sealed partial class RedisStreamsPersistenceBackend
{
    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ReadAsync<PersistedEvent>(PersistedRecordKind.Event, query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ReadAsync<PersistedAudit>(PersistedRecordKind.Audit, query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => ReadAsync<PersistedDeadLetter>(PersistedRecordKind.DeadLetter, query, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default)
        => _reader.ReadAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default)
        => _reader.FollowAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken = default)
        => _reader.CountAsync(cancellationToken);

    private async ValueTask<PersistenceReadResult<T>> ReadAsync<T>(PersistedRecordKind kind, PersistenceQuery? query, CancellationToken cancellationToken)
        where T : PersistedRecord
    {
        try
        {
            // Read newest first: retention keeps a newest suffix of the records that pass the age
            // limit, so once the count or byte limit is exceeded every older entry is dropped and
            // need not be fetched. RetentionEvaluator then decides exactly, as in every backend.
            var records = new List<PersistedRecord?>();
            var candidates = new List<RetentionCandidate>();
            long skipped = 0;
            bool unlimited = Retention.IsUnlimited;
            double now = RetentionEvaluator.UnixNow(_timeProvider);
            double? oldest = Retention.MaxAgeSeconds is { } age ? now - age : null;
            long survivors = 0;
            long survivorBytes = 0;
            bool done = false;
            await foreach (StreamEntry[] page in PagesAsync(_recordsKey, newestFirst: true, long.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                foreach (StreamEntry entry in page)
                {
                    if (unlimited && RedisRecordCodec.TryGetDeclaredKind(entry, out PersistedRecordKind declared) && declared != kind)
                    {
                        continue;
                    }

                    EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                    if (result.Record is not { } record)
                    {
                        skipped++;
                        continue;
                    }

                    long bytes = result.PayloadBytes;
                    records.Add(record.Kind == kind ? record : null);
                    candidates.Add(new RetentionCandidate(record.Timestamp, bytes));
                    if (oldest is null || record.Timestamp >= oldest)
                    {
                        survivors++;
                        survivorBytes += bytes;
                        if (survivors > (Retention.MaxRecords ?? long.MaxValue) || survivorBytes > (Retention.MaxTotalBytes ?? long.MaxValue))
                        {
                            done = true;
                            break;
                        }
                    }
                }

                if (done)
                {
                    break;
                }
            }

            records.Reverse();
            candidates.Reverse();
            bool[] keep = unlimited ? [] : RetentionEvaluator.Evaluate(candidates.ToArray(), Retention, now);
            var retained = new List<T>(records.Count);
            for (int i = 0; i < records.Count; i++)
            {
                if ((unlimited || keep[i]) && records[i] is T typed)
                {
                    retained.Add(typed);
                }
            }

            IReadOnlyList<T> result2 = PersistenceQueryEvaluator.Apply(retained, query);
            _metrics.RecordRead(result2.Count);
            if (skipped > 0)
            {
                _metrics.RecordReadErrors(skipped);
            }

            return new PersistenceReadResult<T>(result2, skipped);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            _metrics.RecordReadErrors(1);
            throw Failure("read", ex);
        }
    }

    internal async IAsyncEnumerable<StreamEntry[]> PagesAsync(RedisKey key, bool newestFirst, long maxEntries, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RedisValue cursor = newestFirst ? "+" : "-";
        long remaining = maxEntries;
        while (remaining > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(Options.ReadPageSize, remaining);
            StreamEntry[] page = newestFirst
                ? await _database.StreamRangeAsync(key, "-", cursor, count, Order.Descending).ConfigureAwait(false)
                : await _database.StreamRangeAsync(key, cursor, "+", count, Order.Ascending).ConfigureAwait(false);
            if (page.Length == 0)
            {
                yield break;
            }

            yield return page;
            remaining -= page.Length;
            if (page.Length < count)
            {
                yield break;
            }

            cursor = "(" + (string?)page[^1].Id;
        }
    }
}
