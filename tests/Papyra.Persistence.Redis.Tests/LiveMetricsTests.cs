using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class LiveMetricsTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_running_backend_publishes_its_metrics_where_another_process_reads_them()
    {
        RedisStreamsOptions options = redis.Options("billing") with { MetricsPublishInterval = TimeSpan.FromMilliseconds(50) };
        await using var backend = await redis.ConnectAsync(options);
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordEventAsync(Records.Event(2));

        Papyra.Persistence.Redis.Metrics.RedisLiveMetrics? live = null;
        await Poll.UntilAsync(
            async () => (live = await RedisStreamsStore.ReadLiveMetricsAsync(redis.RawConnection, options))?.Snapshot.RecordsWritten == 2,
            TimeSpan.FromSeconds(10),
            "the published snapshot to show two writes");

        Assert.Equal("billing", live!.SystemId);
        Assert.Equal(Environment.ProcessId, live.ProcessId);
        Assert.InRange(live.Age, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.True(await redis.Raw.KeyTimeToLiveAsync(options.Keys.Metrics) > TimeSpan.Zero);
    }

    [Fact]
    public async Task Publishing_on_demand_stores_every_counter_and_the_publication_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        RedisStreamsOptions options = redis.Options();
        await using var backend = await redis.ConnectAsync(options, clock);
        await backend.ScanAsync();

        await backend.PublishMetricsAsync();
        clock.Advance(TimeSpan.FromSeconds(3));
        var live = await RedisStreamsStore.ReadLiveMetricsAsync(redis.RawConnection, options, clock);

        Assert.NotNull(live);
        Assert.Equal(1, live.Snapshot.Scans);
        Assert.Equal(TimeSpan.FromSeconds(3), live.Age);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), live.PublishedAt);
        var fields = (await redis.Raw.HashGetAllAsync(options.Keys.Metrics)).Select(f => (string)f.Name!).ToHashSet();
        Assert.Superset(PersistenceMetricNames.All.ToHashSet(), fields);
    }

    [Fact]
    public async Task Reading_live_metrics_when_no_system_published_returns_null()
    {
        Assert.Null(await RedisStreamsStore.ReadLiveMetricsAsync(redis.RawConnection, redis.Options()));
    }

    [Fact]
    public async Task A_backend_that_only_reads_never_publishes_over_the_running_systems_figures()
    {
        RedisStreamsOptions options = redis.Options() with { MetricsPublishInterval = TimeSpan.FromMilliseconds(20) };
        await using (var inspector = await redis.ConnectAsync(options))
        {
            await inspector.ReadEventsAsync();
            await inspector.ScanAsync();
        }

        Assert.False(await redis.Raw.KeyExistsAsync(options.Keys.Metrics));
    }

    [Fact]
    public async Task A_reset_request_makes_the_running_system_zero_its_counters()
    {
        RedisStreamsOptions options = redis.Options() with { MetricsPublishInterval = TimeSpan.FromMilliseconds(50) };
        await using var running = await redis.ConnectAsync(options);
        await running.RecordEventAsync(Records.Event(1));
        await Poll.UntilAsync(async () => await RedisStreamsStore.ReadLiveMetricsAsync(redis.RawConnection, options) is not null, TimeSpan.FromSeconds(10), "the first publication");

        Assert.True(await RedisStreamsStore.RequestMetricsResetAsync(redis.RawConnection, options));
        await Poll.UntilAsync(
            async () => running.GetMetricsSnapshot().RecordsWritten == 0
                && (await RedisStreamsStore.ReadLiveMetricsAsync(redis.RawConnection, options))?.Snapshot.RecordsWritten == 0,
            TimeSpan.FromSeconds(10),
            "the running system to reset and publish zeroed counters");

        Assert.False(await redis.Raw.HashExistsAsync(options.Keys.Metrics, "reset_requested"));
        Assert.False(await RedisStreamsStore.RequestMetricsResetAsync(redis.RawConnection, redis.Options()));
    }
}
