using Papyra.Persistence.Redis.Consumers;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>Moving a store from the legacy key layout to hash-tagged keys: nothing lost, nothing duplicated, resumable after a crash.</summary>
[Collection(RedisCollection.Name)]
public sealed class KeyMigrationTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Migration_moves_records_quarantine_dead_letters_and_groups_keeping_ids_and_pending_entries()
    {
        RedisStreamsOptions legacy = redis.Options("orders");
        RedisStreamsOptions tagged = legacy with { KeyLayout = RedisKeyLayout.HashTagged };
        string[] ids;
        RedisStreamEntry unacked;
        await using (var backend = await redis.ConnectAsync(legacy))
        {
            for (int i = 1; i <= 5; i++)
            {
                await backend.RecordEventAsync(Records.Event(i, system: "orders"));
            }

            await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "{");
            await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Repair));
            RedisStreamConsumer consumer = backend.CreateConsumer(new RedisConsumerOptions("shipper", "a"));
            IReadOnlyList<RedisStreamEntry> batch = await consumer.ReadAsync();
            await consumer.AckAsync(batch.Take(3).Select(e => e.Id));
            unacked = batch[3];
            await consumer.DeadLetterAsync(batch[4], "cannot ship");
            ids = [.. (await redis.Raw.StreamRangeAsync(backend.Keys.Records)).Select(e => (string)e.Id!)];
        }

        RedisKeyMigrationReport report = await RedisKeyMigration.MigrateAsync(redis.RawConnection, legacy);

        RedisStreamKeys old = legacy.Keys;
        RedisStreamKeys now = tagged.Keys;
        Assert.Equal(["shipper"], report.ConsumerGroups);
        Assert.Equal(5 + 1 + 1, report.EntriesCopied);
        Assert.Equal(report.EntriesCopied, report.EntriesVerified);
        Assert.Equal([$"{old.Records} -> {now.Records}", $"{old.Quarantine} -> {now.Quarantine}", $"{old.DeadLetters("shipper")} -> {now.DeadLetters("shipper")}"], report.MovedKeys);
        Assert.False(await redis.Raw.KeyExistsAsync(old.Records));
        Assert.False(await redis.Raw.KeyExistsAsync(old.Quarantine));
        Assert.False(await redis.Raw.KeyExistsAsync(old.DeadLetters("shipper")));
        Assert.Equal(ids, (await redis.Raw.StreamRangeAsync(now.Records)).Select(e => (string)e.Id!));
        Assert.Equal(1, await redis.Raw.StreamLengthAsync(now.Quarantine));
        Assert.Equal(1, await redis.Raw.StreamLengthAsync(now.DeadLetters("shipper")));

        await using (var backend = await redis.ConnectAsync(tagged))
        {
            Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));

            // The entry delivered but not acknowledged before the move is delivered again (at-least-once).
            RedisStreamConsumer consumer = backend.CreateConsumer(new RedisConsumerOptions("shipper", "b"));
            IReadOnlyList<RedisStreamEntry> redelivered = await consumer.ReadAsync();
            Assert.Equal(unacked.Id, redelivered[0].Id);
        }

        RedisKeyMigrationReport again = await RedisKeyMigration.MigrateAsync(redis.RawConnection, legacy);
        Assert.Equal((0L, 0L), (again.EntriesCopied, again.EntriesVerified));
        Assert.Empty(again.MovedKeys);
        Assert.Equal(ids, (await redis.Raw.StreamRangeAsync(now.Records)).Select(e => (string)e.Id!));
    }

    [Fact]
    public async Task A_migration_interrupted_mid_copy_resumes_without_duplicating_or_losing_entries()
    {
        RedisStreamsOptions legacy = redis.Options("big");
        await using (var backend = await redis.ConnectAsync(legacy))
        {
            await Task.WhenAll(Enumerable.Range(1, 2500).Select(i => backend.RecordEventAsync(Records.Event(i, system: "big")).AsTask()));
        }

        // What a run that crashed after copying 1234 entries leaves behind: a prefix of the stream, same ids.
        RedisStreamKeys now = (legacy with { KeyLayout = RedisKeyLayout.HashTagged }).Keys;
        StreamEntry[] source = await redis.Raw.StreamRangeAsync(legacy.Keys.Records);
        foreach (StreamEntry entry in source.Take(1234))
        {
            await redis.Raw.StreamAddAsync(now.Records, entry.Values, entry.Id);
        }

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RedisKeyMigration.MigrateAsync(redis.RawConnection, legacy, cancelled.Token));
        Assert.Equal(2500, await redis.Raw.StreamLengthAsync(legacy.Keys.Records));

        RedisKeyMigrationReport report = await RedisKeyMigration.MigrateAsync(redis.RawConnection, legacy);

        Assert.Equal(2500 - 1234, report.EntriesCopied);
        Assert.Equal(2500, report.EntriesVerified);
        StreamEntry[] moved = await redis.Raw.StreamRangeAsync(now.Records);
        Assert.Equal(source.Select(e => (string)e.Id!), moved.Select(e => (string)e.Id!));
        Assert.Equal(source.Select(e => (byte[])e.Values[0].Value!), moved.Select(e => (byte[])e.Values[0].Value!), new BytesComparer());
        Assert.False(await redis.Raw.KeyExistsAsync(legacy.Keys.Records));
    }

    [Fact]
    public async Task A_copy_that_does_not_verify_keeps_the_old_stream()
    {
        RedisStreamsOptions legacy = redis.Options("busy");
        await using (var backend = await redis.ConnectAsync(legacy))
        {
            await backend.RecordEventAsync(Records.Event(1, system: "busy"));
        }

        // A hash-tagged writer already added a newer entry: the counts cannot match.
        await redis.Raw.StreamAddAsync((legacy with { KeyLayout = RedisKeyLayout.HashTagged }).Keys.Records, "data", "{}", "9999999999999-0");

        var error = await Assert.ThrowsAsync<IOException>(() => RedisKeyMigration.MigrateAsync(redis.RawConnection, legacy));

        Assert.Contains("did not verify", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await redis.Raw.StreamLengthAsync(legacy.Keys.Records));
    }

    [Theory]
    [InlineData("5-3", "5-2")]
    [InlineData("5-0", "4-18446744073709551615")]
    [InlineData("0-0", "0-0")]
    public void The_group_position_before_a_pending_entry_is_its_predecessor(string id, string expected)
        => Assert.Equal(expected, RedisKeyMigration.Predecessor(id));

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
