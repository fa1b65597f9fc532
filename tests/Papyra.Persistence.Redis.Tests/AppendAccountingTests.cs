using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>
/// An append's outcome is recorded when Redis answers, not when (or whether) its caller awaits it:
/// a fire-and-forget caller must not leave <c>records_written</c> or <c>write_errors</c> short.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AppendAccountingTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Appends_nobody_awaits_are_counted_when_redis_acknowledges_them()
    {
        await using var backend = new RedisStreamsPersistenceBackend(redis.RawConnection, redis.Options(prefix: Prefix()));
        for (int i = 1; i <= 50; i++)
        {
            Forget(backend.RecordEventAsync(Records.Event(i)));
        }

        await Poll.UntilAsync(() => backend.GetMetricsSnapshot().RecordsWritten == 50, Timeout, "50 unobserved appends to be counted");
        Assert.Equal(50, await redis.Raw.StreamLengthAsync(backend.Keys.Records));
        Assert.Equal(0, backend.GetMetricsSnapshot().WriteErrors);
    }

    [Fact]
    public async Task Appends_nobody_awaits_that_redis_refuses_are_counted_as_write_errors()
    {
        await using var backend = new RedisStreamsPersistenceBackend(redis.RawConnection, redis.Options(prefix: Prefix()));

        // A key of another type: Redis answers every XADD with a WRONGTYPE error, after it was sent.
        await redis.Raw.StringSetAsync(backend.Keys.Records, "not a stream");
        for (int i = 1; i <= 20; i++)
        {
            Forget(backend.RecordEventAsync(Records.Event(i)));
        }

        await Poll.UntilAsync(() => backend.GetMetricsSnapshot().WriteErrors == 20, Timeout, "20 unobserved failed appends to be counted");
        Assert.Equal(0, backend.GetMetricsSnapshot().RecordsWritten);
    }

    [Fact]
    public async Task A_refused_append_that_is_awaited_fails_with_an_io_error_and_counts_once()
    {
        await using var backend = new RedisStreamsPersistenceBackend(redis.RawConnection, redis.Options(prefix: Prefix()));
        await redis.Raw.StringSetAsync(backend.Keys.Records, "not a stream");

        IOException failure = await Assert.ThrowsAsync<IOException>(async () => await backend.RecordEventAsync(Records.Event(1)));
        Assert.Contains("was not stored", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, backend.GetMetricsSnapshot().WriteErrors);

        // The backend settles the same append when it sees it complete: still one error.
        await backend.RecordDeadLetterAsync(Records.DeadLetter(2)).AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        await Poll.UntilAsync(() => backend.GetMetricsSnapshot().WriteErrors == 2, Timeout, "the second refused append to be counted");
        Assert.Equal(2, backend.GetMetricsSnapshot().WriteErrors);
    }

    [Fact]
    public async Task Bursts_of_appends_awaited_back_to_back_are_each_counted_once()
    {
        // Each burst starts as soon as the previous one was awaited, while the backend may still be
        // settling the previous burst's appends, and four writers share the backend: the settling
        // passes must not overlap (an overlapping pass once crashed the process from a pool thread).
        await using var backend = new RedisStreamsPersistenceBackend(redis.RawConnection, redis.Options(prefix: Prefix()));
        const int Writers = 4;
        const int Bursts = 100;
        const int BurstSize = 500;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var pending = new ValueTask[BurstSize];
            for (int burst = 0; burst < Bursts; burst++)
            {
                for (int i = 0; i < BurstSize; i++)
                {
                    pending[i] = backend.RecordEventAsync(Records.Event((((writer * Bursts) + burst) * BurstSize) + i));
                }

                for (int i = 0; i < BurstSize; i++)
                {
                    await pending[i];
                }
            }
        })));

        const int Total = Writers * Bursts * BurstSize;
        long bytes = 0;
        for (int i = 0; i < Total; i++)
        {
            RedisRecordCodec.Encode(Records.Event(i), backend.Options.Encoding, out byte[] payload);
            bytes += payload.Length;
        }

        Assert.Equal(Total, backend.GetMetricsSnapshot().RecordsWritten);
        Assert.Equal(bytes, backend.GetMetricsSnapshot().BytesWritten);
        Assert.Equal(Total, await redis.Raw.StreamLengthAsync(backend.Keys.Records));
        Assert.Equal(0, backend.GetMetricsSnapshot().WriteErrors);
    }

    private static string Prefix() => "accounting-" + Guid.NewGuid().ToString("N");

    // What a fire-and-forget caller does: the append's task is never observed.
    private static void Forget(ValueTask append) => _ = append;
}
