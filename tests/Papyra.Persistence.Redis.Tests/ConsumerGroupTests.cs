using Papyra.Persistence.Redis.Consumers;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class ConsumerGroupTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_consumer_reads_every_record_once_and_acknowledging_empties_the_pending_list()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        for (int i = 1; i <= 5; i++)
        {
            await backend.RecordEventAsync(Records.Event(i));
        }

        RedisStreamConsumer consumer = backend.CreateConsumer(new RedisConsumerOptions("shipper", "a") { BatchSize = 3 });
        var first = await consumer.ReadAsync();
        var second = await consumer.ReadAsync();
        var third = await consumer.ReadAsync();

        Assert.Equal([1.0, 2, 3, 4, 5], first.Concat(second).Select(e => e.Record.Timestamp));
        Assert.Empty(third);
        Assert.All(first.Concat(second), e => Assert.Equal(1, e.DeliveryCount));
        Assert.Equal(5, (await consumer.GetPendingAsync()).Count);
        Assert.Equal(5, await consumer.AckAsync(first.Concat(second).Select(e => e.Id)));
        Assert.Equal(0, (await consumer.GetPendingAsync()).Count);
    }

    [Fact]
    public async Task Creating_a_group_twice_is_harmless_and_start_id_dollar_skips_history()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        RedisStreamConsumer consumer = backend.CreateConsumer(new RedisConsumerOptions("tail", "a") { StartId = "$" });
        await consumer.EnsureGroupAsync();
        await consumer.EnsureGroupAsync();
        await backend.RecordEventAsync(Records.Event(2));

        Assert.Equal([2.0], (await consumer.ReadAsync()).Select(e => e.Record.Timestamp));
    }

    [Fact]
    public async Task A_restarted_consumer_gets_its_own_pending_entries_first_then_new_ones()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordEventAsync(Records.Event(2));
        var options = new RedisConsumerOptions("shipper", "worker-1");
        var beforeCrash = await backend.CreateConsumer(options).ReadAsync();
        await backend.RecordEventAsync(Records.Event(3));

        RedisStreamConsumer restarted = backend.CreateConsumer(options);
        var redelivered = await restarted.ReadAsync();
        var fresh = await restarted.ReadAsync();

        Assert.Equal([1.0, 2], beforeCrash.Select(e => e.Record.Timestamp));
        Assert.Equal([1.0, 2], redelivered.Select(e => e.Record.Timestamp));
        Assert.All(redelivered, e => Assert.Equal(2, e.DeliveryCount));
        Assert.Equal([3.0], fresh.Select(e => e.Record.Timestamp));
    }

    [Fact]
    public async Task Entries_held_by_a_consumer_that_died_are_claimed_by_another_consumer()
    {
        RedisStreamsOptions options = redis.Options();
        await using var backend = await redis.ConnectAsync(options);
        for (int i = 1; i <= 25; i++)
        {
            await backend.RecordEventAsync(Records.Event(i));
        }

        // The first consumer runs on its own connection, reads, and dies without acknowledging.
        IConnectionMultiplexer doomed = await RedisStreamsStore.ConnectAsync(options);
        var dying = new RedisStreamConsumer(doomed, options, new RedisConsumerOptions("shipper", "dies") { BatchSize = 25 });
        Assert.Equal(25, (await dying.ReadAsync()).Count);
        await doomed.DisposeAsync();

        RedisStreamConsumer survivor = backend.CreateConsumer(new RedisConsumerOptions("shipper", "survives") { BatchSize = 10 });
        Assert.Empty(await survivor.ReadAsync());
        var claimed = new List<RedisStreamEntry>();
        await Poll.UntilAsync(
            async () =>
            {
                RedisClaimResult result = await survivor.ClaimIdleAsync(TimeSpan.FromMilliseconds(50));
                claimed.AddRange(result.Claimed);
                await survivor.AckAsync(result.Claimed.Select(e => e.Id));
                return claimed.Count >= 25;
            },
            Timeout,
            "the survivor to claim all 25 entries");

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (double)i), claimed.Select(e => e.Record.Timestamp).Order());
        Assert.All(claimed, e => Assert.Equal(2, e.DeliveryCount));
        RedisPendingSummary pending = await survivor.GetPendingAsync();
        Assert.Equal(0, pending.Count);
    }

    [Fact]
    public async Task An_entry_delivered_more_than_the_limit_goes_to_the_dead_letter_stream_and_is_acknowledged()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1, type: "Poison"));
        var a = backend.CreateConsumer(new RedisConsumerOptions("shipper", "a") { MaxDeliveries = 2 });
        var b = backend.CreateConsumer(new RedisConsumerOptions("shipper", "b") { MaxDeliveries = 2 });
        RedisStreamEntry delivered = Assert.Single(await a.ReadAsync());

        RedisClaimResult? last = null;
        await Poll.UntilAsync(
            async () =>
            {
                // Each claim is one more delivery; the processing "fails" every time (no ack).
                last = await b.ClaimIdleAsync(TimeSpan.Zero);
                return last.DeadLettered.Count > 0;
            },
            Timeout,
            "the poison entry to be dead-lettered");

        Assert.Equal([delivered.Id], last!.DeadLettered);
        Assert.Equal(0, (await b.GetPendingAsync()).Count);
        StreamEntry dead = Assert.Single(await redis.Raw.StreamRangeAsync(a.DeadLetterKey));
        Assert.Equal(delivered.Id, (string?)dead["source_id"]);
        Assert.Equal("3", (string?)dead["deliveries"]);
        Assert.False(dead["original.msgpack"].IsNull);
    }

    [Fact]
    public async Task Undecodable_entries_are_dead_lettered_instead_of_delivered()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "garbage");
        var consumer = backend.CreateConsumer(new RedisConsumerOptions("shipper", "a"));

        var entries = await consumer.ReadAsync();

        Assert.Equal([1.0], entries.Select(e => e.Record.Timestamp));
        Assert.Equal(1, (await consumer.GetPendingAsync()).Count);
        StreamEntry dead = Assert.Single(await redis.Raw.StreamRangeAsync(consumer.DeadLetterKey));
        Assert.Equal("garbage", (string?)dead["original.data"]);
    }

    [Fact]
    public async Task A_consumer_can_dead_letter_an_entry_it_cannot_process()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        var consumer = backend.CreateConsumer(new RedisConsumerOptions("shipper", "a"));
        RedisStreamEntry entry = Assert.Single(await consumer.ReadAsync());

        await consumer.DeadLetterAsync(entry, "downstream rejected it");

        Assert.Equal(0, (await consumer.GetPendingAsync()).Count);
        StreamEntry dead = Assert.Single(await redis.Raw.StreamRangeAsync(consumer.DeadLetterKey));
        Assert.Equal("downstream rejected it", (string?)dead["reason"]);
    }

    [Fact]
    public async Task Pending_entries_deleted_from_the_stream_are_reported_and_leave_the_pending_list_when_claimed()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordEventAsync(Records.Event(2));
        var dying = backend.CreateConsumer(new RedisConsumerOptions("shipper", "dies"));
        IReadOnlyList<RedisStreamEntry> held = await dying.ReadAsync();
        Assert.Equal(1, await redis.Raw.StreamDeleteAsync(backend.Keys.Records, [held[0].Id]));

        var survivor = backend.CreateConsumer(new RedisConsumerOptions("shipper", "survives"));
        RedisClaimResult result = await survivor.ClaimIdleAsync(TimeSpan.Zero);

        Assert.Equal([held[0].Id], result.Deleted);
        Assert.Equal([held[1].Id], result.Claimed.Select(e => e.Id));
        Assert.Equal(1, (await survivor.GetPendingAsync()).Count);
    }

    [Fact]
    public void Consumer_options_reject_bad_names_and_limits()
    {
        Assert.Throws<ArgumentException>(() => new RedisConsumerOptions("", "a"));
        Assert.Throws<ArgumentException>(() => new RedisConsumerOptions("g", "a b"));
        var options = new RedisConsumerOptions("g", "a") { MaxDeliveries = 0 };
        Assert.Throws<ArgumentException>(() => new RedisStreamConsumer(redis.RawConnection, redis.Options(), options));
    }
}
