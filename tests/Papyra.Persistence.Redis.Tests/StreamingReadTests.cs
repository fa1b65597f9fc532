using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence.Memory;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>Streaming reads of the Redis backend beyond the conformance kit: pages, damaged entries, trimming, entry ids.</summary>
[Collection(RedisCollection.Name)]
public sealed class StreamingReadTests(RedisServerFixture redis)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData(null, null, 3)]
    [InlineData(7L, null, 3)]
    [InlineData(null, 45.0, 2)]
    [InlineData(11L, 60.0, 4)]
    public async Task Paged_streaming_reads_yield_what_the_in_memory_backend_yields(long? maxRecords, double? maxAgeSeconds, int pageSize)
    {
        var policy = new RetentionPolicy(maxRecords, maxAgeSeconds);
        var clock = new FakeTimeProvider(Now);
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = policy, ReadPageSize = pageSize, TrimOnWrite = false }, clock);
        await using var memory = new InMemoryPersistenceBackend(policy, clock);
        await WriteRandomAsync(40, backend, memory);

        PersistenceReadRequest[] requests =
        [
            PersistenceReadRequest.All,
            new() { Order = PersistenceReadOrder.NewestFirst },
            new() { Limit = 5 },
            new() { Limit = 5, Order = PersistenceReadOrder.NewestFirst },
            new() { Kinds = [PersistedRecordKind.Event], Type = "T1" },
            new() { Kinds = [PersistedRecordKind.Audit, PersistedRecordKind.DeadLetter], Limit = 3, Order = PersistenceReadOrder.NewestFirst },
            new() { Since = Now.ToUnixTimeSeconds() - 50, Until = Now.ToUnixTimeSeconds() - 20 },
        ];
        foreach (PersistenceReadRequest request in requests)
        {
            Assert.Equal(Lines(await ReadAllAsync(memory, request)), Lines(await ReadAllAsync(backend, request)));
        }

        Assert.Equal(await memory.CountAsync(), await backend.CountAsync());

        // Resuming after every position, in both orders, gives the rest of the same read.
        foreach (PersistenceReadOrder order in new[] { PersistenceReadOrder.OldestFirst, PersistenceReadOrder.NewestFirst })
        {
            List<StoredRecord> all = await ReadAllAsync(backend, new PersistenceReadRequest { Order = order });
            for (int i = 0; i < all.Count; i++)
            {
                List<StoredRecord> rest = await ReadAllAsync(backend, new PersistenceReadRequest { Order = order, After = PersistencePosition.Parse(all[i].Position.ToString()) });
                Assert.Equal(all.Skip(i + 1).Select(r => r.Position), rest.Select(r => r.Position));
            }
        }
    }

    [Fact]
    public async Task Positions_are_the_entry_ids()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordAuditAsync(Records.Audit(2));

        StreamEntry[] entries = await redis.Raw.StreamRangeAsync(backend.Keys.Records);
        List<StoredRecord> read = await ReadAllAsync(backend, PersistenceReadRequest.All);

        Assert.Equal(entries.Select(e => "redis:" + (string?)e.Id), read.Select(r => r.Position.ToString()));
    }

    [Fact]
    public async Task Damaged_entries_are_skipped_by_streaming_reads_and_counted()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { ReadPageSize = 2 });
        RedisKey key = backend.Keys.Records;
        await backend.RecordEventAsync(Records.Event(1));
        await redis.Raw.StreamAddAsync(key, "data", "{\"kind\": ");
        await backend.RecordAuditAsync(Records.Audit(2));
        await redis.Raw.StreamAddAsync(key, "msgpack", new byte[] { 0x81, 0xa1 });
        await redis.Raw.StreamAddAsync(key, [new NameValueEntry("kind", "audit"), new NameValueEntry("data", "{\"kind\":\"event\",\"timestamp\":3}")]);
        await backend.RecordEventAsync(Records.Event(4));

        Assert.Equal([1.0, 2, 4], (await ReadAllAsync(backend, PersistenceReadRequest.All)).Select(r => r.Record.Timestamp));
        Assert.Equal([4.0, 1], (await ReadAllAsync(backend, new PersistenceReadRequest { Kinds = [PersistedRecordKind.Event], Order = PersistenceReadOrder.NewestFirst })).Select(r => r.Record.Timestamp));
        Assert.Equal(new PersistenceRecordCounts(2, 1, 0, 3), await backend.CountAsync());
    }

    [Fact]
    public async Task Position_of_a_trimmed_entry_or_before_the_first_entry_is_rejected()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        for (int i = 1; i <= 4; i++)
        {
            await backend.RecordEventAsync(Records.Event(i));
        }

        List<StoredRecord> before = await ReadAllAsync(backend, PersistenceReadRequest.All);
        await redis.Raw.StreamTrimAsync(backend.Keys.Records, 2);

        PersistencePositionException trimmed = await Assert.ThrowsAsync<PersistencePositionException>(() => ReadAllAsync(backend, new PersistenceReadRequest { After = before[0].Position }));
        Assert.Contains("no longer valid", trimmed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PersistencePositionException>(() => ReadAllAsync(backend, new PersistenceReadRequest { After = new PersistencePosition("redis", "0-1") }));
        await Assert.ThrowsAsync<PersistencePositionException>(async () =>
        {
            await foreach (StoredRecord record in backend.FollowAsync(new PersistenceReadRequest { After = before[1].Position }))
            {
                Assert.Fail($"a follow from a trimmed position yielded {record.Position}");
            }
        });
        Assert.Equal([4.0], (await ReadAllAsync(backend, new PersistenceReadRequest { After = before[2].Position })).Select(r => r.Record.Timestamp));
    }

    [Fact]
    public async Task Follow_of_a_missing_stream_yields_entries_once_they_are_added_several_pages_at_once()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { ReadPageSize = 2 });
        Assert.Empty(await ReadAllAsync(backend, PersistenceReadRequest.All));
        Assert.Equal(new PersistenceRecordCounts(0, 0, 0, 0), await backend.CountAsync());

        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<StoredRecord> follow = backend.FollowAsync(new PersistenceReadRequest { Kinds = [PersistedRecordKind.Event] }, cancel.Token).GetAsyncEnumerator();
        try
        {
            ValueTask<bool> first = follow.MoveNextAsync();
            await Task.WhenAll(Enumerable.Range(1, 7).Select(i => (i == 4 ? backend.RecordAuditAsync(Records.Audit(i)) : backend.RecordEventAsync(Records.Event(i))).AsTask()));
            var seen = new List<double>();
            Assert.True(await first.AsTask().WaitAsync(Timeout));
            seen.Add(follow.Current.Record.Timestamp);
            while (seen.Count < 6)
            {
                Assert.True(await follow.MoveNextAsync().AsTask().WaitAsync(Timeout));
                seen.Add(follow.Current.Record.Timestamp);
            }

            Assert.Equal([1.0, 2, 3, 5, 6, 7], seen);
            await cancel.CancelAsync();
            Assert.False(await follow.MoveNextAsync().AsTask().WaitAsync(Timeout));
        }
        finally
        {
            await follow.DisposeAsync();
        }
    }

    private static async Task WriteRandomAsync(int count, params IPersistenceBackend[] backends)
    {
        double now = Now.ToUnixTimeSeconds();
        var random = new Random(7);
        for (int i = 0; i < count; i++)
        {
            double timestamp = now - 100 + (i * 2.5) + random.Next(-3, 3);
            PersistedRecord record = random.Next(3) switch
            {
                0 => Records.Event(timestamp, type: "T" + random.Next(3), payload: $$"""{"i":{{i}}}"""),
                1 => Records.Audit(timestamp),
                _ => Records.DeadLetter(timestamp),
            };
            foreach (IPersistenceBackend backend in backends)
            {
                await (record switch
                {
                    PersistedEvent e => backend.RecordEventAsync(e),
                    PersistedAudit a => backend.RecordAuditAsync(a),
                    _ => backend.RecordDeadLetterAsync((PersistedDeadLetter)record),
                });
            }
        }
    }

    private static async Task<List<StoredRecord>> ReadAllAsync(IPersistenceStreamReader reader, PersistenceReadRequest request)
    {
        var records = new List<StoredRecord>();
        await foreach (StoredRecord record in reader.ReadAsync(request))
        {
            records.Add(record);
        }

        return records;
    }

    private static string[] Lines(IEnumerable<StoredRecord> records) => RecordText.Lines(records.Select(r => r.Record));
}
