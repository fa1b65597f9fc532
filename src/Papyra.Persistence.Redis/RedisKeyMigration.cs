using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis;

/// <summary>What <see cref="RedisKeyMigration.MigrateAsync"/> did.</summary>
/// <param name="SystemId">The system whose keys were moved.</param>
/// <param name="EntriesCopied">Stream entries copied by this run (a resumed run copies only what an interrupted one did not).</param>
/// <param name="EntriesVerified">Stream entries found in the new keys after copying, compared id by id and field by field with the old keys.</param>
/// <param name="MovedKeys">The old keys moved and deleted, each as <c>old -&gt; new</c>.</param>
/// <param name="ConsumerGroups">The consumer groups created on the new record stream.</param>
public sealed record RedisKeyMigrationReport(string SystemId, long EntriesCopied, long EntriesVerified, IReadOnlyList<string> MovedKeys, IReadOnlyList<string> ConsumerGroups);

/// <summary>
/// Moves a system's store from the <see cref="RedisKeyLayout.Legacy"/> key layout to
/// <see cref="RedisKeyLayout.HashTagged"/> (<c>papyra persistence migrate-keys</c>), without losing or
/// duplicating an entry: every stream entry is copied with its own id (<c>XADD key &lt;id&gt;</c>, oldest first),
/// so positions (<c>redis:&lt;id&gt;</c>) stay valid and the record bytes are unchanged (no record format change
/// is involved); the new stream is then compared with the old one, id by id and field by field; only then is the old key deleted.
/// </summary>
/// <remarks>
/// <para>
/// Crash-safe and idempotent: a run interrupted at any point is simply run again. Copying resumes after
/// the newest id already in the new stream (an id is never written twice: Redis refuses an id that is not
/// greater than the stream's last); an old key is deleted only after its copy is verified complete, and a
/// key already moved is skipped. Stop the system's writers (and consumers) while migrating: a record
/// appended to the old stream after its copy was verified would be deleted with it.
/// </para>
/// <para>
/// Moved: the record stream, the quarantine stream, streams set aside by quarantine recovery, the consumer
/// groups' dead-letter streams, and the consumer groups themselves (re-created on the new stream positioned
/// before their oldest pending entry, so an entry delivered but not acknowledged is delivered again:
/// at-least-once holds across the move; consumer names and delivery counts start afresh). The live metrics
/// hash is not copied (the running system republishes it) and is deleted.
/// </para>
/// </remarks>
public static class RedisKeyMigration
{
    private const int BatchSize = 1000;

    /// <summary>Moves the system named by <paramref name="options"/> (prefix, system id, database) to hash-tagged keys.</summary>
    /// <param name="connection">The connection (a single server or a cluster).</param>
    /// <param name="options">Which system; its <see cref="RedisStreamsOptions.KeyLayout"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels between batches; run again to resume.</param>
    /// <returns>What was moved.</returns>
    /// <exception cref="IOException">Redis failed, or a copy did not verify (the old key is then kept).</exception>
    public static async Task<RedisKeyMigrationReport> MigrateAsync(IConnectionMultiplexer connection, RedisStreamsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        var from = new RedisStreamKeys(options.KeyPrefix, options.SystemId, RedisKeyLayout.Legacy);
        var to = new RedisStreamKeys(options.KeyPrefix, options.SystemId, RedisKeyLayout.HashTagged);
        IDatabase database = connection.GetDatabase(options.Database);
        long copied = 0;
        long verified = 0;
        var moved = new List<string>();
        var groups = new List<string>();
        try
        {
            var streams = new List<(string From, string To)>
            {
                (from.Records, to.Records),
                (from.Quarantine, to.Quarantine),
            };
            string legacyRoot = $"{options.KeyPrefix}:{options.SystemId}:";
            string taggedRoot = $"{options.KeyPrefix}:{{{options.SystemId}}}:";
            foreach (string key in await KeysAsync(connection, options.Database, Escape(legacyRoot) + "quarantine:*", cancellationToken).ConfigureAwait(false))
            {
                streams.Add((key, taggedRoot + key[legacyRoot.Length..]));
            }

            foreach (string key in await KeysAsync(connection, options.Database, Escape(legacyRoot) + "dlq:*", cancellationToken).ConfigureAwait(false))
            {
                streams.Add((key, taggedRoot + key[legacyRoot.Length..]));
            }

            foreach ((string source, string target) in streams)
            {
                if (await database.KeyTypeAsync(source).ConfigureAwait(false) != RedisType.Stream)
                {
                    continue;
                }

                copied += await CopyStreamAsync(database, source, target, cancellationToken).ConfigureAwait(false);
                if (source == from.Records)
                {
                    groups.AddRange(await CopyGroupsAsync(database, source, target).ConfigureAwait(false));
                }

                long targetLength = await VerifyAsync(database, source, target, cancellationToken).ConfigureAwait(false);
                verified += targetLength;
                await database.KeyDeleteAsync(source).ConfigureAwait(false);
                moved.Add($"{source} -> {target}");
            }

            await database.KeyDeleteAsync(from.Metrics).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            throw new IOException($"Migrating the keys of {options.SystemId} at {options.RedactedUrl} failed ({ex.GetType().Name}); run the migration again to resume.", ex);
        }

        return new RedisKeyMigrationReport(options.SystemId, copied, verified, moved, groups);
    }

    private static async Task<long> CopyStreamAsync(IDatabase database, RedisKey source, RedisKey target, CancellationToken cancellationToken)
    {
        // Resume after the newest id already copied: ids only grow, so nothing is written twice.
        StreamEntry[] last = await database.StreamRangeAsync(target, "-", "+", 1, Order.Descending).ConfigureAwait(false);
        RedisValue cursor = last.Length == 0 ? "-" : "(" + (string?)last[0].Id;
        long copied = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StreamEntry[] page = await database.StreamRangeAsync(source, cursor, "+", BatchSize, Order.Ascending).ConfigureAwait(false);
            if (page.Length == 0)
            {
                return copied;
            }

            // Pipelined in order on one connection: after a crash the target holds a prefix of the page.
            var writes = new Task<RedisValue>[page.Length];
            for (int i = 0; i < page.Length; i++)
            {
                writes[i] = database.StreamAddAsync(target, page[i].Values, messageId: page[i].Id);
            }

            await Task.WhenAll(writes).ConfigureAwait(false);
            copied += page.Length;
            cursor = "(" + (string?)page[^1].Id;
        }
    }

    /// <summary>Checks that both streams hold the same entry ids in the same order, with the same fields; returns the count.</summary>
    private static async Task<long> VerifyAsync(IDatabase database, RedisKey source, RedisKey target, CancellationToken cancellationToken)
    {
        RedisValue cursor = "-";
        long count = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task<StreamEntry[]> oldPage = database.StreamRangeAsync(source, cursor, "+", BatchSize, Order.Ascending);
            Task<StreamEntry[]> newPage = database.StreamRangeAsync(target, cursor, "+", BatchSize, Order.Ascending);
            StreamEntry[] a = await oldPage.ConfigureAwait(false);
            StreamEntry[] b = await newPage.ConfigureAwait(false);
            int length = Math.Min(a.Length, b.Length);
            for (int i = 0; i <= length; i++)
            {
                if (i == length ? a.Length != b.Length : a[i].Id != b[i].Id || !SameFields(a[i], b[i]))
                {
                    string where = i < a.Length ? $"entry {(string?)a[i].Id}" : i < b.Length ? $"entry {(string?)b[i].Id} (only in the new stream)" : "the end";
                    throw new IOException(
                        $"Migrating {source} to {target} did not verify: the streams differ at {where} (was something writing to either?); the old stream is kept.");
                }
            }

            count += a.Length;
            if (a.Length < BatchSize)
            {
                return count;
            }

            cursor = "(" + (string?)a[^1].Id;
        }
    }

    private static bool SameFields(StreamEntry a, StreamEntry b)
        => a.Values.Length == b.Values.Length && a.Values.Zip(b.Values).All(p => p.First.Name == p.Second.Name && p.First.Value == p.Second.Value);

    private static async Task<List<string>> CopyGroupsAsync(IDatabase database, RedisKey source, RedisKey target)
    {
        var created = new List<string>();
        StreamGroupInfo[] existing = await database.KeyExistsAsync(target).ConfigureAwait(false)
            ? await database.StreamGroupInfoAsync(target).ConfigureAwait(false)
            : [];
        foreach (StreamGroupInfo group in await database.StreamGroupInfoAsync(source).ConfigureAwait(false))
        {
            if (existing.Any(g => g.Name == group.Name))
            {
                continue;
            }

            string position = group.LastDeliveredId ?? "0-0";
            if (group.PendingMessageCount > 0)
            {
                StreamPendingInfo pending = await database.StreamPendingAsync(source, group.Name).ConfigureAwait(false);
                if (!pending.LowestPendingMessageId.IsNull)
                {
                    position = Predecessor((string)pending.LowestPendingMessageId!);
                }
            }

            await database.StreamCreateConsumerGroupAsync(target, group.Name, position, createStream: true).ConfigureAwait(false);
            created.Add(group.Name);
        }

        return created;
    }

    /// <summary>The greatest stream id smaller than <paramref name="id"/>, so that a group positioned there delivers <paramref name="id"/> again.</summary>
    internal static string Predecessor(string id)
    {
        int dash = id.IndexOf('-', StringComparison.Ordinal);
        ulong ms = ulong.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture);
        ulong seq = ulong.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture);
        return seq > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{ms}-{seq - 1}")
            : ms > 0 ? string.Create(CultureInfo.InvariantCulture, $"{ms - 1}-{ulong.MaxValue}") : "0-0";
    }

    private static async Task<List<string>> KeysAsync(IConnectionMultiplexer connection, int database, string pattern, CancellationToken cancellationToken)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (System.Net.EndPoint endPoint in connection.GetEndPoints())
        {
            IServer server = connection.GetServer(endPoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            await foreach (RedisKey key in server.KeysAsync(database, pattern, pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key.ToString());
            }
        }

        return [.. keys];
    }

    private static string Escape(string literal)
    {
        var text = new StringBuilder(literal.Length);
        foreach (char c in literal)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
