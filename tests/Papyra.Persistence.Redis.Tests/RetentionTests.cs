using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence.Memory;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RetentionTests(RedisServerFixture redis)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public async Task Max_records_counts_all_kinds_of_a_system_together_on_reads()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxRecords: 3) });
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordAuditAsync(Records.Audit(2));
        await backend.RecordEventAsync(Records.Event(3));
        await backend.RecordDeadLetterAsync(Records.DeadLetter(4));
        await backend.RecordEventAsync(Records.Event(5));

        Assert.Equal([3.0, 5], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        Assert.Empty((await backend.ReadAuditsAsync()).Records);
        Assert.Equal([4.0], (await backend.ReadDeadLettersAsync()).Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Max_age_is_measured_against_the_injected_clock()
    {
        var clock = new FakeTimeProvider(Now);
        double now = Now.ToUnixTimeSeconds();
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxAgeSeconds: 60) }, clock);
        await backend.RecordEventAsync(Records.Event(now - 120));
        await backend.RecordEventAsync(Records.Event(now - 60));
        await backend.RecordEventAsync(Records.Event(now - 1));

        Assert.Equal([now - 60, now - 1], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([now - 1], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
    }

    [Theory]
    [InlineData(5L, null)]
    [InlineData(7L, 100.0)]
    [InlineData(null, 45.0)]
    [InlineData(100L, 30.0)]
    public async Task Count_and_age_retention_keep_exactly_what_the_in_memory_backend_keeps(long? maxRecords, double? maxAgeSeconds)
    {
        var policy = new RetentionPolicy(maxRecords, maxAgeSeconds);
        var clock = new FakeTimeProvider(Now);
        double now = Now.ToUnixTimeSeconds();
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = policy, ReadPageSize = 4, TrimOnWrite = false }, clock);
        var memory = new InMemoryPersistenceBackend(policy, clock);
        var random = new Random(42);
        for (int i = 0; i < 40; i++)
        {
            double timestamp = now - 100 + (i * 2.5) + random.Next(-3, 3);
            switch (random.Next(3))
            {
                case 0:
                    var e = Records.Event(timestamp, type: "T" + random.Next(3), payload: $$"""{"i":{{i}},"pad":"{{new string('x', random.Next(0, 40))}}"}""");
                    await backend.RecordEventAsync(e);
                    await memory.RecordEventAsync(e);
                    break;
                case 1:
                    var a = Records.Audit(timestamp);
                    await backend.RecordAuditAsync(a);
                    await memory.RecordAuditAsync(a);
                    break;
                default:
                    var d = Records.DeadLetter(timestamp, payload: $"\"{new string('é', random.Next(0, 20))}\"");
                    await backend.RecordDeadLetterAsync(d);
                    await memory.RecordDeadLetterAsync(d);
                    break;
            }
        }

        Assert.Equal(RecordText.Lines((await memory.ReadEventsAsync()).Records), RecordText.Lines((await backend.ReadEventsAsync()).Records));
        Assert.Equal(RecordText.Lines((await memory.ReadAuditsAsync()).Records), RecordText.Lines((await backend.ReadAuditsAsync()).Records));
        Assert.Equal(RecordText.Lines((await memory.ReadDeadLettersAsync()).Records), RecordText.Lines((await backend.ReadDeadLettersAsync()).Records));

        CompactionReport memoryCompaction = await memory.CompactAsync();
        CompactionReport redisCompaction = await backend.CompactAsync();
        Assert.Equal(memoryCompaction.BeforeRecords, redisCompaction.BeforeRecords);
        Assert.Equal(memoryCompaction.AfterRecords, redisCompaction.AfterRecords);
        Assert.Equal(redisCompaction.AfterRecords, await redis.Raw.StreamLengthAsync(backend.Keys.Records));
    }

    [Theory]
    [InlineData(RedisRecordEncoding.MessagePack)]
    [InlineData(RedisRecordEncoding.Json)]
    public async Task Max_total_bytes_counts_stored_payload_bytes_as_bytes_written_does(RedisRecordEncoding encoding)
    {
        RedisStreamsOptions options = redis.Options() with { Encoding = encoding };
        long recordBytes;
        await using (var writer = await redis.ConnectAsync(options))
        {
            for (int i = 1; i <= 4; i++)
            {
                await writer.RecordEventAsync(Records.Event(i));
            }

            recordBytes = writer.GetMetricsSnapshot().BytesWritten / 4;
        }

        await using var twoAndAHalf = await redis.ConnectAsync(options with { Retention = new RetentionPolicy(maxTotalBytes: (recordBytes * 5) / 2) });
        await using var exactlyThree = await redis.ConnectAsync(options with { Retention = new RetentionPolicy(maxTotalBytes: recordBytes * 3) });
        await using var lessThanOne = await redis.ConnectAsync(options with { Retention = new RetentionPolicy(maxTotalBytes: recordBytes - 1) });

        Assert.Equal([3.0, 4], (await twoAndAHalf.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        Assert.Equal([2.0, 3, 4], (await exactlyThree.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        Assert.Empty((await lessThanOne.ReadEventsAsync()).Records);
    }

    [Fact]
    public async Task Appends_trim_approximately_without_ever_dropping_below_max_records()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxRecords: 100) });
        for (int batch = 0; batch < 10; batch++)
        {
            await Task.WhenAll(Enumerable.Range(batch * 100, 100).Select(i => backend.RecordEventAsync(Records.Event(i)).AsTask()));
        }

        long length = await redis.Raw.StreamLengthAsync(backend.Keys.Records);
        Assert.InRange(length, 100, 999);
        var events = await backend.ReadEventsAsync();
        Assert.Equal(100, events.Records.Count);
        Assert.Equal(Enumerable.Range(900, 100).Select(i => (double)i), events.Records.Select(r => r.Timestamp).Order());
    }

    [Fact]
    public async Task Appends_do_not_trim_when_trim_on_write_is_off()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxRecords: 10), TrimOnWrite = false });
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => backend.RecordEventAsync(Records.Event(i)).AsTask()));

        Assert.Equal(500, await redis.Raw.StreamLengthAsync(backend.Keys.Records));
        Assert.Equal(10, (await backend.ReadEventsAsync()).Records.Count);
    }

    [Fact]
    public async Task Compaction_deletes_what_retention_drops_and_reports_records_and_bytes()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxRecords: 4), TrimOnWrite = false });
        for (int i = 1; i <= 10; i++)
        {
            await backend.RecordEventAsync(Records.Event(i));
        }

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal("redis", report.Backend);
        Assert.Equal(10, report.BeforeRecords);
        Assert.Equal(4, report.AfterRecords);
        Assert.True(report.BeforeBytes > report.AfterBytes);
        Assert.Equal(4, await redis.Raw.StreamLengthAsync(backend.Keys.Records));
        Assert.Equal([7.0, 8, 9, 10], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        Assert.Equal(1, backend.GetMetricsSnapshot().Compactions);
    }

    [Fact]
    public async Task Compaction_keeps_every_record_appended_while_it_runs()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxRecords: 50), TrimOnWrite = false, ReadPageSize = 10 });
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => backend.RecordEventAsync(Records.Event(i)).AsTask()));

        Task<CompactionReport> compaction = backend.CompactAsync().AsTask();
        await Task.WhenAll(Enumerable.Range(500, 100).Select(i => backend.RecordEventAsync(Records.Event(i)).AsTask()));
        CompactionReport report = await compaction;

        var stored = (await redis.Raw.StreamRangeAsync(backend.Keys.Records)).Length;
        Assert.InRange(stored, 50, 150);
        Assert.True(report.BeforeRecords >= 500);
        var events = await backend.ReadEventsAsync();
        Assert.Equal(Enumerable.Range(550, 50).Select(i => (double)i), events.Records.Select(r => r.Timestamp).Order());
    }

    [Fact]
    public async Task Compaction_moves_damaged_entries_to_the_quarantine_stream_instead_of_deleting_them()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "garbage");

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal(2, report.BeforeRecords);
        Assert.Equal(1, report.AfterRecords);
        var quarantined = Assert.Single(await redis.Raw.StreamRangeAsync(backend.Keys.Quarantine));
        Assert.Equal("garbage", (string?)quarantined["original.data"]);
    }
}
