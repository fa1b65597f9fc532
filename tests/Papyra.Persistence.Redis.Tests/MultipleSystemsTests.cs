using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class MultipleSystemsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Two_systems_writing_concurrently_to_one_redis_each_read_only_their_own_records()
    {
        string prefix = RedisServer.UniquePrefix();
        await using var orders = await redis.ConnectAsync(redis.Options("orders", prefix));
        await using var billing = await redis.ConnectAsync(redis.Options("billing", prefix) with { Encoding = RedisRecordEncoding.Json });

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (int i = 0; i < 300; i++)
                {
                    await orders.RecordEventAsync(Records.Event(i, system: "orders"));
                }
            }),
            Task.Run(async () =>
            {
                for (int i = 0; i < 200; i++)
                {
                    await billing.RecordDeadLetterAsync(Records.DeadLetter(i, system: "billing"));
                }
            }));

        var orderEvents = await orders.ReadEventsAsync();
        Assert.Equal(300, orderEvents.Records.Count);
        Assert.All(orderEvents.Records, e => Assert.Equal("orders", e.SystemId));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (double)i), orderEvents.Records.Select(e => e.Timestamp));
        Assert.Empty((await orders.ReadDeadLettersAsync()).Records);
        Assert.Equal(200, (await billing.ReadDeadLettersAsync()).Records.Count);
        Assert.Empty((await billing.ReadEventsAsync()).Records);
        Assert.Equal(["billing", "orders"], await RedisStreamsStore.ListSystemIdsAsync(redis.RawConnection, prefix));
    }

    [Fact]
    public async Task An_inspector_reads_another_systems_records_through_its_own_backend()
    {
        string prefix = RedisServer.UniquePrefix();
        await using (var writer = await redis.ConnectAsync(redis.Options("orders", prefix)))
        {
            await writer.RecordEventAsync(Records.Event(1, system: "orders"));
        }

        await using var inspector = await redis.ConnectAsync(redis.Options("orders", prefix));
        Assert.Single((await inspector.ReadEventsAsync()).Records);
        Assert.False((await inspector.ScanAsync()).HasAnomalies);
    }
}
