using System.Globalization;
using System.Runtime.CompilerServices;
using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Retention;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Reading;

/// <summary>
/// Streaming reads of a system's record stream (<see cref="IPersistenceStreamReader"/>): pages of
/// <c>XRANGE</c> (oldest first) or <c>XREVRANGE</c> (newest first), never the whole stream at once.
/// Retention is applied as the backend's list reads apply it (damaged entries do not count; sizes
/// are payload sizes): records older than <c>max_age</c> are skipped one by one, and
/// <c>max_records</c>/<c>max_total_bytes</c> keep a newest suffix, found by walking newest first
/// until it is full. A position is <c>redis:&lt;entry id&gt;</c>; a read resumes with the exclusive range
/// <c>(id</c>, after checking the entry is still in the stream (compaction, recovery and trimming
/// remove entries: a position of a removed entry throws <see cref="PersistencePositionException"/>).
/// Following polls <c>XRANGE (last +</c>: StackExchange.Redis does not run blocking commands
/// (<c>XREAD BLOCK</c>) on its shared connection.
/// </summary>
internal sealed class RedisStreamReader(
    IDatabase database,
    RedisKey key,
    RetentionPolicy retention,
    TimeProvider timeProvider,
    int pageSize,
    Func<string, Exception, IOException> failure)
{
    public const string Scheme = "redis";
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(15);

    public async IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EntryId? after = request.After is { } position ? await ResolveAsync(position).ConfigureAwait(false) : null;
        EntryId? last = await LastIdAsync().ConfigureAwait(false);
        if (last is null)
        {
            yield break;
        }

        await foreach (StoredRecord record in ReadCoreAsync(request, after, last.Value, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    public async IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { Order = PersistenceReadOrder.OldestFirst };
        EntryId? after = request.After is { } position ? await ResolveAsync(position).ConfigureAwait(false) : null;
        EntryId? last = await LastIdAsync().ConfigureAwait(false);
        if (last is { } end)
        {
            // The backlog: the newest Limit records, or everything after After, or everything; read
            // without the token so that cancelling ends the follow quietly instead of failing a page.
            PersistenceReadRequest backlog = after is null ? request : request with { Limit = null };
            await foreach (StoredRecord record in ReadCoreAsync(backlog, after, end, CancellationToken.None).ConfigureAwait(false))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return record;
            }
        }

        // Then every entry added after the backlog's end; age retention still applies.
        RedisValue cursor = last is { } l ? "(" + l.ToString() : "-";
        while (!cancellationToken.IsCancellationRequested)
        {
            StreamEntry[] page = await FetchAsync(cursor, "+", pageSize, Order.Ascending).ConfigureAwait(false);
            if (page.Length == 0)
            {
                try
                {
                    await Task.Delay(FollowPoll, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                continue;
            }

            double oldest = Oldest();
            foreach (StreamEntry entry in page)
            {
                EntryDecodeResult result = RedisRecordCodec.Decode(entry);
                if (result.Record is { } record && record.Timestamp >= oldest && request.Matches(record))
                {
                    yield return new StoredRecord(record, ToPosition(entry.Id));
                }
            }

            cursor = "(" + (string?)page[^1].Id;
        }
    }

    public async ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken)
    {
        // Every entry is decoded (the kind alone does not say whether an entry is damaged or how
        // old it is), a page at a time; counting stops where count/bytes retention is full.
        var walk = new RetentionWalk(retention, RetentionEvaluator.UnixNow(timeProvider));
        long events = 0;
        long audits = 0;
        long deadLetters = 0;
        long skipped = 0;
        await foreach (StreamEntry entry in EntriesAsync("-", "+", newestFirst: true, cancellationToken).ConfigureAwait(false))
        {
            EntryDecodeResult result = RedisRecordCodec.Decode(entry);
            if (result.Record is not { } record)
            {
                skipped++;
                continue;
            }

            RetentionStep step = walk.Step(record.Timestamp, result.PayloadBytes);
            if (step == RetentionStep.Full)
            {
                break;
            }

            if (step == RetentionStep.Kept)
            {
                switch (record.Kind)
                {
                    case PersistedRecordKind.Event: events++; break;
                    case PersistedRecordKind.Audit: audits++; break;
                    default: deadLetters++; break;
                }
            }
        }

        return new PersistenceRecordCounts(events, audits, deadLetters, skipped);
    }

    private async IAsyncEnumerable<StoredRecord> ReadCoreAsync(PersistenceReadRequest request, EntryId? after, EntryId last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        double now = RetentionEvaluator.UnixNow(timeProvider);
        var walk = new RetentionWalk(retention, now);
        RedisValue top = last.ToString();
        if (request.Order == PersistenceReadOrder.NewestFirst && after is null)
        {
            // From the newest entry down: retention's walk ends the read where its suffix ends.
            await foreach (StoredRecord record in BackwardsAsync(request, top, "-", walk, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }

            yield break;
        }

        if (request.Order == PersistenceReadOrder.NewestFirst)
        {
            // From just before the position down to where retention's suffix starts.
            EntryId? floor = walk.KeepsSuffix ? await SuffixFloorAsync(top, now, cancellationToken).ConfigureAwait(false) : null;
            RedisValue bottom = floor is { } f ? "(" + f.ToString() : "-";
            await foreach (StoredRecord record in BackwardsAsync(request, "(" + after!.Value.ToString(), bottom, RetentionWalk.AgeOnly(retention, now), cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }

            yield break;
        }

        if (request.Limit is { } limit)
        {
            // Oldest first with a limit: the newest `limit` matches after the start, collected newest first.
            var newest = new List<StoredRecord>(Math.Min(limit, 4096));
            RedisValue bottom = after is { } a ? "(" + a.ToString() : "-";
            await foreach (StoredRecord record in BackwardsAsync(request, top, bottom, walk, cancellationToken).ConfigureAwait(false))
            {
                newest.Add(record);
            }

            for (int i = newest.Count - 1; i >= 0; i--)
            {
                yield return newest[i];
            }

            yield break;
        }

        EntryId? start = after;
        if (walk.KeepsSuffix && await SuffixFloorAsync(top, now, cancellationToken).ConfigureAwait(false) is { } suffix && (start is null || suffix.CompareTo(start.Value) > 0))
        {
            start = suffix;
        }

        double oldest = RetentionWalk.AgeOnly(retention, now).Oldest;
        await foreach (StreamEntry entry in EntriesAsync(start is { } s ? "(" + s.ToString() : "-", top, newestFirst: false, cancellationToken).ConfigureAwait(false))
        {
            EntryDecodeResult result = RedisRecordCodec.Decode(entry);
            if (result.Record is null)
            {
                request.Statistics?.RecordSkipped();
            }
            else if (result.Record.Timestamp >= oldest && request.Matches(result.Record))
            {
                yield return new StoredRecord(result.Record, ToPosition(entry.Id));
            }
        }
    }

    private async IAsyncEnumerable<StoredRecord> BackwardsAsync(PersistenceReadRequest request, RedisValue high, RedisValue low, RetentionWalk walk, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Entries of unwanted kinds are skipped undecoded when retention does not need their timestamp.
        bool byKind = retention.IsUnlimited && request.Kinds is { Count: > 0 };
        int count = 0;
        await foreach (StreamEntry entry in EntriesAsync(low, high, newestFirst: true, cancellationToken).ConfigureAwait(false))
        {
            if (byKind && RedisRecordCodec.TryGetDeclaredKind(entry, out PersistedRecordKind declared) && !request.Wants(declared))
            {
                continue;
            }

            EntryDecodeResult result = RedisRecordCodec.Decode(entry);
            if (result.Record is not { } record)
            {
                request.Statistics?.RecordSkipped();
                continue;
            }

            RetentionStep step = walk.Step(record.Timestamp, result.PayloadBytes);
            if (step == RetentionStep.Full)
            {
                yield break;
            }

            if (step == RetentionStep.Kept && request.Matches(record))
            {
                yield return new StoredRecord(record, ToPosition(entry.Id));
                if (++count == request.Limit)
                {
                    yield break;
                }
            }
        }
    }

    // The id of the newest entry count/bytes retention drops: the kept suffix is what follows it.
    private async ValueTask<EntryId?> SuffixFloorAsync(RedisValue top, double now, CancellationToken cancellationToken)
    {
        var walk = new RetentionWalk(retention, now);
        await foreach (StreamEntry entry in EntriesAsync("-", top, newestFirst: true, cancellationToken).ConfigureAwait(false))
        {
            EntryDecodeResult result = RedisRecordCodec.Decode(entry);
            if (result.Record is { } record && walk.Step(record.Timestamp, result.PayloadBytes) == RetentionStep.Full)
            {
                return EntryId.Parse(entry.Id);
            }
        }

        return null;
    }

    private async IAsyncEnumerable<StreamEntry> EntriesAsync(RedisValue low, RedisValue high, bool newestFirst, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StreamEntry[] page = await FetchAsync(low, high, pageSize, newestFirst ? Order.Descending : Order.Ascending).ConfigureAwait(false);
            foreach (StreamEntry entry in page)
            {
                yield return entry;
            }

            if (page.Length < pageSize)
            {
                yield break;
            }

            if (newestFirst)
            {
                high = "(" + (string?)page[^1].Id;
            }
            else
            {
                low = "(" + (string?)page[^1].Id;
            }
        }
    }

    private async ValueTask<StreamEntry[]> FetchAsync(RedisValue low, RedisValue high, int count, Order order)
    {
        try
        {
            return await database.StreamRangeAsync(key, low, high, count, order).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw failure("read", ex);
        }
    }

    private async ValueTask<EntryId?> LastIdAsync()
    {
        StreamEntry[] newest = await FetchAsync("-", "+", 1, Order.Descending).ConfigureAwait(false);
        return newest.Length == 0 ? null : EntryId.Parse(newest[0].Id);
    }

    private async ValueTask<EntryId> ResolveAsync(PersistencePosition position)
    {
        if (position.Scheme != Scheme || !EntryId.TryParse(position.Value, out EntryId id))
        {
            throw new PersistencePositionException($"The position '{position}' does not belong to a Redis stream.");
        }

        RedisValue text = id.ToString();
        return (await FetchAsync(text, text, 1, Order.Ascending).ConfigureAwait(false)).Length == 1
            ? id
            : throw new PersistencePositionException(
                $"The position '{position}' is no longer valid: entry {text} is not in {key} (compaction, recovery or trimming removed it, or the position belongs to another stream).");
    }

    private double Oldest() => RetentionWalk.AgeOnly(retention, RetentionEvaluator.UnixNow(timeProvider)).Oldest;

    private static PersistencePosition ToPosition(RedisValue id) => new(Scheme, (string)id!);

    /// <summary>A stream entry id, <c>&lt;milliseconds&gt;-&lt;sequence&gt;</c>, ordered as Redis orders them.</summary>
    private readonly record struct EntryId(ulong Milliseconds, ulong Sequence) : IComparable<EntryId>
    {
        public static EntryId Parse(RedisValue id)
            => TryParse((string?)id, out EntryId parsed) ? parsed : throw new FormatException($"Redis returned an entry id '{(string?)id}' that is not <ms>-<seq>.");

        public static bool TryParse(string? text, out EntryId id)
        {
            id = default;
            int dash = text?.IndexOf('-', StringComparison.Ordinal) ?? -1;
            if (dash < 1
                || !ulong.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out ulong ms)
                || !ulong.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seq))
            {
                return false;
            }

            id = new EntryId(ms, seq);
            return true;
        }

        public int CompareTo(EntryId other) => Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
    }

}
