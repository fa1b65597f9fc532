using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Retention;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Consumers;

/// <summary>
/// Reads a system's record stream as one consumer of a Redis consumer group, for external readers
/// such as log shippers and audit exporters. Delivery is <b>at least once</b>, never exactly once:
/// an entry stays pending until acknowledged, a consumer that restarts first gets its own pending
/// entries again, and entries left pending by a consumer that died are claimed by another with
/// <see cref="ClaimIdleAsync"/>. Processing must therefore be idempotent (the entry id is a stable key).
/// </summary>
/// <remarks>
/// <para>Typical loop: <c>ReadAsync</c> → process each entry → <c>AckAsync</c> its id; periodically
/// <c>ClaimIdleAsync</c> to take over entries idle longer than a processing timeout.</para>
/// <para>Poison entries: an entry delivered more than <see cref="RedisConsumerOptions.MaxDeliveries"/>
/// times, or one that cannot be decoded, is copied to the group's dead-letter stream
/// (<see cref="RedisStreamKeys.DeadLetters"/>, original fields under <c>original.</c> plus
/// <c>source</c>, <c>source_id</c>, <c>reason</c>, <c>moved_at</c>, <c>group</c>, <c>consumer</c>,
/// <c>deliveries</c>) and acknowledged in the same transaction, so it is neither lost nor redelivered.</para>
/// <para>Instances are not thread-safe: use one per processing loop.</para>
/// </remarks>
public sealed class RedisStreamConsumer
{
    private const string ZeroId = "0-0";

    private readonly IDatabase _database;
    private readonly RedisStreamsOptions _store;
    private readonly RedisKey _streamKey;
    private readonly RedisKey _deadLetterKey;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private RedisValue _pendingCursor = "0";
    private bool _pendingDrained;
    private bool _groupEnsured;
    private RedisValue _claimCursor = ZeroId;

    /// <summary>Creates a consumer of the stream of <paramref name="store"/>'s system.</summary>
    /// <param name="connection">The Redis connection.</param>
    /// <param name="store">The key prefix, system id and database of the stream.</param>
    /// <param name="options">The group, the consumer name and delivery limits.</param>
    /// <param name="logger">Where dead-lettering is logged; none by default.</param>
    /// <param name="timeProvider">The clock for dead-letter timestamps; the system clock by default.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisStreamConsumer(IConnectionMultiplexer connection, RedisStreamsOptions store, RedisConsumerOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        store.Validate();
        options.Validate();
        _store = store;
        Options = options;
        _database = connection.GetDatabase(store.Database);
        _streamKey = store.Keys.Records;
        _deadLetterKey = store.Keys.DeadLetters(options.Group);
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The consumer's group, name and limits.</summary>
    public RedisConsumerOptions Options { get; }

    /// <summary>The stream being consumed.</summary>
    public string StreamKey => _streamKey.ToString();

    /// <summary>The group's dead-letter stream.</summary>
    public string DeadLetterKey => _deadLetterKey.ToString();

    /// <summary>Creates the consumer group (and the stream) when missing; does nothing when the group exists.</summary>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>A task that completes when the group exists.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public async Task EnsureGroupAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await WaitAsync(_database.StreamCreateConsumerGroupAsync(_streamKey, Options.Group, Options.StartId, createStream: true), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.OrdinalIgnoreCase))
        {
            // The group exists already: creation is idempotent.
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw Failure("creating the group", ex);
        }

        _groupEnsured = true;
    }

    /// <summary>
    /// Returns the next batch: first the entries this consumer was delivered earlier and has not
    /// acknowledged (after a restart, say), then new entries. An empty list means nothing is waiting
    /// right now (this call does not block). Creates the group on first use.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>Up to <see cref="RedisConsumerOptions.BatchSize"/> entries, oldest first.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public async Task<IReadOnlyList<RedisStreamEntry>> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!_groupEnsured)
        {
            await EnsureGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            while (!_pendingDrained)
            {
                StreamEntry[] history = await WaitAsync(_database.StreamReadGroupAsync(_streamKey, Options.Group, Options.Consumer, _pendingCursor, Options.BatchSize), cancellationToken).ConfigureAwait(false);
                if (history.Length == 0)
                {
                    _pendingDrained = true;
                    break;
                }

                _pendingCursor = history[^1].Id;
                IReadOnlyList<RedisStreamEntry> redelivered = await ScreenAsync(history, knownFirstDelivery: false, cancellationToken).ConfigureAwait(false);
                if (redelivered.Count > 0)
                {
                    return redelivered;
                }
            }

            StreamEntry[] fresh = await WaitAsync(_database.StreamReadGroupAsync(_streamKey, Options.Group, Options.Consumer, StreamPosition.NewMessages, Options.BatchSize), cancellationToken).ConfigureAwait(false);
            return await ScreenAsync(fresh, knownFirstDelivery: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw Failure("reading", ex);
        }
    }

    /// <summary>Acknowledges processed entries: they leave the group's pending list and are never delivered to it again.</summary>
    /// <param name="ids">The entry ids.</param>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>How many entries were pending and are now acknowledged.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public async Task<long> AckAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        RedisValue[] values = [.. ids.Select(id => (RedisValue)id)];
        if (values.Length == 0)
        {
            return 0;
        }

        try
        {
            return await WaitAsync(_database.StreamAcknowledgeAsync(_streamKey, Options.Group, values), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw Failure("acknowledging", ex);
        }
    }

    /// <summary>
    /// Takes over entries that other consumers of the group were delivered but have not acknowledged
    /// for at least <paramref name="minIdleTime"/> (typically because they died), with <c>XAUTOCLAIM</c>,
    /// following its cursor across the pending list and across calls. Entries over the delivery limit
    /// go to the dead-letter stream instead of being returned.
    /// </summary>
    /// <param name="minIdleTime">How long an entry must have been idle; choose more than the longest normal processing time.</param>
    /// <param name="cancellationToken">Cancels between steps.</param>
    /// <returns>The claimed entries (at most about <see cref="RedisConsumerOptions.BatchSize"/>; call again for more), the dead-lettered and the vanished ids.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public async Task<RedisClaimResult> ClaimIdleAsync(TimeSpan minIdleTime, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minIdleTime, TimeSpan.Zero);
        if (!_groupEnsured)
        {
            await EnsureGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        var claimed = new List<RedisStreamEntry>();
        var deadLettered = new List<string>();
        var deleted = new List<string>();
        try
        {
            do
            {
                StreamAutoClaimResult step = await WaitAsync(
                    _database.StreamAutoClaimAsync(_streamKey, Options.Group, Options.Consumer, (long)minIdleTime.TotalMilliseconds, _claimCursor, Options.BatchSize),
                    cancellationToken).ConfigureAwait(false);
                _claimCursor = step.NextStartId.IsNullOrEmpty ? ZeroId : step.NextStartId;
                deleted.AddRange(step.DeletedIds.Select(id => id.ToString()));
                IReadOnlyList<RedisStreamEntry> usable = await ScreenAsync(step.ClaimedEntries, knownFirstDelivery: false, cancellationToken, deadLettered).ConfigureAwait(false);
                claimed.AddRange(usable);
            }
            while (_claimCursor != ZeroId && claimed.Count < Options.BatchSize);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw Failure("claiming", ex);
        }

        return new RedisClaimResult(claimed, deadLettered, deleted);
    }

    /// <summary>
    /// Moves an entry this consumer cannot process to the group's dead-letter stream and acknowledges it,
    /// in one transaction.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="reason">Why it failed; stored with it.</param>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>A task that completes when the entry is dead-lettered.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public async Task DeadLetterAsync(RedisStreamEntry entry, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(reason);
        try
        {
            StreamEntry[] raw = await WaitAsync(_database.StreamRangeAsync(_streamKey, entry.Id, entry.Id, 1), cancellationToken).ConfigureAwait(false);
            StreamEntry source = raw.Length > 0 ? raw[0] : new StreamEntry(entry.Id, RedisRecordCodec.EncodeEntry(entry.Record, _store.Encoding, out _));
            await MoveToDeadLettersAsync(source, entry.DeliveryCount, reason).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw Failure("dead-lettering", ex);
        }
    }

    /// <summary>Summarises the group's pending entries (<c>XPENDING</c>).</summary>
    /// <param name="cancellationToken">Cancels waiting for Redis.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="IOException">Redis is unreachable.</exception>
    public async Task<RedisPendingSummary> GetPendingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            StreamPendingInfo info = await WaitAsync(_database.StreamPendingAsync(_streamKey, Options.Group), cancellationToken).ConfigureAwait(false);
            return new RedisPendingSummary(
                info.PendingMessageCount,
                info.PendingMessageCount == 0 ? null : info.LowestPendingMessageId.ToString(),
                info.PendingMessageCount == 0 ? null : info.HighestPendingMessageId.ToString(),
                info.Consumers.ToDictionary(c => c.Name.ToString(), c => (long)c.PendingMessageCount, StringComparer.Ordinal));
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw Failure("reading the pending list", ex);
        }
    }

    private async Task<IReadOnlyList<RedisStreamEntry>> ScreenAsync(StreamEntry[] entries, bool knownFirstDelivery, CancellationToken cancellationToken, List<string>? deadLettered = null)
    {
        if (entries.Length == 0)
        {
            return [];
        }

        long[] deliveries = new long[entries.Length];
        if (knownFirstDelivery)
        {
            Array.Fill(deliveries, 1);
        }
        else
        {
            // Pipelined: one XPENDING per entry, all in flight together.
            var lookups = new Task<StreamPendingMessageInfo[]>[entries.Length];
            for (int i = 0; i < entries.Length; i++)
            {
                lookups[i] = _database.StreamPendingMessagesAsync(_streamKey, Options.Group, 1, Options.Consumer, entries[i].Id, entries[i].Id);
            }

            await WaitAsync(Task.WhenAll(lookups), cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < entries.Length; i++)
            {
                StreamPendingMessageInfo[] info = await lookups[i].ConfigureAwait(false);
                deliveries[i] = info.Length > 0 ? info[0].DeliveryCount : 1;
            }
        }

        var usable = new List<RedisStreamEntry>(entries.Length);
        var vanished = new List<RedisValue>();
        for (int i = 0; i < entries.Length; i++)
        {
            StreamEntry entry = entries[i];
            if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
            {
                // Deleted or trimmed after delivery: nothing left to process.
                vanished.Add(entry.Id);
                continue;
            }

            if (deliveries[i] > Options.MaxDeliveries)
            {
                await MoveToDeadLettersAsync(entry, deliveries[i], $"delivered {deliveries[i].ToString(CultureInfo.InvariantCulture)} times, more than the limit of {Options.MaxDeliveries.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                deadLettered?.Add(entry.Id.ToString());
                continue;
            }

            EntryDecodeResult decoded = RedisRecordCodec.Decode(entry);
            if (decoded.Record is null)
            {
                await MoveToDeadLettersAsync(entry, deliveries[i], $"{decoded.Problem}: {decoded.Detail}").ConfigureAwait(false);
                deadLettered?.Add(entry.Id.ToString());
                continue;
            }

            usable.Add(new RedisStreamEntry(entry.Id.ToString(), decoded.Record, deliveries[i]));
        }

        if (vanished.Count > 0)
        {
            await _database.StreamAcknowledgeAsync(_streamKey, Options.Group, [.. vanished]).ConfigureAwait(false);
        }

        return usable;
    }

    private async Task MoveToDeadLettersAsync(StreamEntry entry, long deliveries, string reason)
    {
        string movedAt = RetentionEvaluator.UnixNow(_timeProvider).ToString("R", CultureInfo.InvariantCulture);
        NameValueEntry[] fields = RedisRecordCodec.WithOriginal(
            entry,
            new NameValueEntry(RedisEntryFields.Source, _streamKey.ToString()),
            new NameValueEntry(RedisEntryFields.SourceId, entry.Id),
            new NameValueEntry(RedisEntryFields.Reason, reason),
            new NameValueEntry(RedisEntryFields.MovedAt, movedAt),
            new NameValueEntry("group", Options.Group),
            new NameValueEntry("consumer", Options.Consumer),
            new NameValueEntry("deliveries", deliveries));

        // Copy and acknowledge together: a poison entry is never lost and never redelivered.
        ITransaction transaction = _database.CreateTransaction();
        Task<RedisValue> add = transaction.StreamAddAsync(_deadLetterKey, fields);
        Task<long> ack = transaction.StreamAcknowledgeAsync(_streamKey, Options.Group, entry.Id);
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new IOException($"Dead-lettering entry {entry.Id} of {StreamKey} was not applied: the transaction was aborted.");
        }

        await Task.WhenAll(add, ack).ConfigureAwait(false);
        _logger.LogWarning("Consumer {Consumer} of group {Group} moved entry {Id} of {Stream} to {DeadLetters}: {Reason}.", Options.Consumer, Options.Group, entry.Id.ToString(), StreamKey, DeadLetterKey, reason);
    }

    private static Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        => cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task;

    private static Task WaitAsync(Task task, CancellationToken cancellationToken)
        => cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task;

    private IOException Failure(string operation, Exception ex)
        => new($"Consumer {Options.Consumer} of group {Options.Group} on {StreamKey} failed while {operation} ({ex.GetType().Name}).", ex);
}
