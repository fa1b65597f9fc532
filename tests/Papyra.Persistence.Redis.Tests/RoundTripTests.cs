using System.Text;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class RoundTripTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(RedisRecordEncoding.MessagePack)]
    [InlineData(RedisRecordEncoding.Json)]
    public async Task Pipelined_appends_from_several_threads_read_back_exactly_while_payload_slabs_are_recycled(RedisRecordEncoding encoding)
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Encoding = encoding });
        const int Writers = 4;
        const int Waves = 3;
        const int PerWave = 1_500;
        var expected = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var random = new Random(writer);
            for (int wave = 0; wave < Waves; wave++)
            {
                var pending = new ValueTask[PerWave];
                for (int i = 0; i < PerWave; i++)
                {
                    // Mostly small entries (slab-allocated), now and then one too large for a slab.
                    string text = new string((char)('a' + random.Next(26)), random.Next(50) == 0 ? 10_000 : random.Next(1, 300));
                    PersistedEvent record = Records.Event(writer * 1_000_000 + (wave * PerWave) + i, payload: $$"""{"writer":{{writer}},"wave":{{wave}},"i":{{i}},"text":"{{text}}"}""");
                    expected.Add(RecordText.Line(record));
                    pending[i] = backend.RecordEventAsync(record);
                }

                foreach (ValueTask write in pending)
                {
                    await write;
                }
            }
        })));

        var events = await backend.ReadEventsAsync();
        Assert.Equal(expected.Order(StringComparer.Ordinal), RecordText.Lines(events.Records).Order(StringComparer.Ordinal));
        Assert.Equal(0, events.SkippedRecords);
        Assert.Equal(Writers * Waves * PerWave, backend.GetMetricsSnapshot().RecordsWritten);
    }

    [Theory]
    [InlineData(RedisRecordEncoding.MessagePack)]
    [InlineData(RedisRecordEncoding.Json)]
    public async Task Every_kind_of_record_reads_back_field_for_field(RedisRecordEncoding encoding)
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Encoding = encoding });
        PersistedEvent started = Records.Event(10.5, payload: """{"n":1,"big":12345678901234567890123,"f":1.0,"x":0.1,"nested":{"a":[1,"ü",null,true]},"emoji":"😀"}""");
        PersistedAudit audit = Records.Audit(11);
        PersistedDeadLetter letter = Records.DeadLetter(12);
        var anonymous = new PersistedEvent("local", null, "ActorCrashed", Records.Json("""{"error":"RuntimeError: boom"}"""), 13);

        await backend.RecordEventAsync(started);
        await backend.RecordAuditAsync(audit);
        await backend.RecordDeadLetterAsync(letter);
        await backend.RecordEventAsync(anonymous);

        var events = await backend.ReadEventsAsync();
        var audits = await backend.ReadAuditsAsync();
        var letters = await backend.ReadDeadLettersAsync();
        Assert.Equal(RecordText.Lines([started, anonymous]), RecordText.Lines(events.Records));
        Assert.Equal(RecordText.Lines([audit]), RecordText.Lines(audits.Records));
        Assert.Equal(RecordText.Lines([letter]), RecordText.Lines(letters.Records));
        Assert.Equal(0, events.SkippedRecords);
        System.Text.Json.JsonElement payload = events.Records[0].Payload;
        Assert.Equal("12345678901234567890123", payload.GetProperty("big").GetRawText());
        Assert.Equal("1.0", payload.GetProperty("f").GetRawText());
        Assert.Equal("0.1", payload.GetProperty("x").GetRawText());
        Assert.Equal("ü", payload.GetProperty("nested").GetProperty("a")[1].GetString());
        Assert.Equal("😀", payload.GetProperty("emoji").GetString());
    }

    [Fact]
    public async Task All_kinds_of_one_system_share_one_stream_of_single_field_entries()
    {
        RedisStreamsOptions options = redis.Options("alpha");
        await using var backend = await redis.ConnectAsync(options);
        await backend.RecordEventAsync(Records.Event(1, system: "alpha"));
        await backend.RecordAuditAsync(Records.Audit(2, system: "alpha"));
        await backend.RecordDeadLetterAsync(Records.DeadLetter(3, system: "alpha"));

        Assert.Equal($"{options.KeyPrefix}:alpha:records", backend.Keys.Records);
        StreamEntry[] entries = await redis.Raw.StreamRangeAsync(backend.Keys.Records);
        Assert.All(entries, e => Assert.Equal("msgpack", (string?)Assert.Single(e.Values).Name));
        Assert.Equal(["event", "audit", "dead_letter"], entries.Select(e => Papyra.Persistence.Redis.Codec.RedisRecordCodec.TryGetDeclaredKind(e, out PersistedRecordKind kind) ? PersistedRecordKinds.ToWireName(kind) : null));
    }

    [Fact]
    public async Task The_hash_tagged_layout_writes_and_reads_its_own_keys_and_lists_both_layouts()
    {
        string prefix = RedisServer.UniquePrefix();
        await using (var tagged = await redis.ConnectAsync(redis.Options("tagged", prefix) with { KeyLayout = RedisKeyLayout.HashTagged }))
        await using (var legacy = await redis.ConnectAsync(redis.Options("old", prefix)))
        {
            await tagged.RecordEventAsync(Records.Event(1, system: "tagged"));
            await legacy.RecordEventAsync(Records.Event(2, system: "old"));
            Assert.Equal($"{prefix}:{{tagged}}:records", tagged.Keys.Records);
            Assert.Equal(1, await redis.Raw.StreamLengthAsync($"{prefix}:{{tagged}}:records"));
            Assert.Equal([1.0], (await tagged.ReadEventsAsync()).Records.Select(e => e.Timestamp));
        }

        Assert.Equal(["old", "tagged"], await RedisStreamsStore.ListSystemIdsAsync(redis.RawConnection, prefix));
    }

    [Fact]
    public async Task Json_encoding_writes_the_upstream_data_field_with_kind_first()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Encoding = RedisRecordEncoding.Json });
        await backend.RecordDeadLetterAsync(Records.DeadLetter(15));

        StreamEntry entry = Assert.Single(await redis.Raw.StreamRangeAsync(backend.Keys.Records));
        Assert.Equal("data", (string?)Assert.Single(entry.Values).Name);
        Assert.Equal(
            """{"kind":"dead_letter","system_id":"local","target":{"system":"local","actor_id":2},"message_type":"String","payload":"héllo","timestamp":15,"expects_reply":true}""",
            Encoding.UTF8.GetString((byte[])entry["data"]!));
    }

    [Fact]
    public async Task Reads_accept_every_shape_python_papyra_writes_into_the_data_field()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        RedisKey key = backend.Keys.Records;
        string[] upstream =
        [
            """{"kind": "event", "system_id": "local", "actor_address": {"system": "local", "actor_id": 1}, "event_type": "ActorStarted", "payload": {}, "timestamp": 12.5}""",
            """{"timestamp": 13.0, "payload": {"error": "RuntimeError: boom"}, "event_type": "ActorCrashed", "actor_address": "local:1", "kind": "event"}""",
            """{"kind":"event","timestamp":14}""",
            """{"kind": "dead_letter", "system_id": "local", "target": {"_rid": 2, "_mailbox_put": "<bound method>", "_address": {"system": "local", "actor_id": 2}}, "message_type": "str", "payload": "late", "timestamp": 972.54603936}""",
            """{"kind": "audit", "system_id": "local", "timestamp": 14.0, "total_actors": 1, "alive_actors": 1, "stopping_actors": 0, "restarting_actors": 0, "registry_size": 1, "registry_orphans": [], "registry_dead": ["svc"], "dead_letters_count": 0, "future_field": 1}""",
            """{"kind": "event", "system_id": "local", "actor_address": "local://3", "event_type": "ActorStopped", "payload": {"reason": "h\u00e9"}, "timestamp": 15}""",
        ];
        foreach (string json in upstream)
        {
            await redis.Raw.StreamAddAsync(key, "data", json);
        }

        var events = await backend.ReadEventsAsync();
        Assert.Equal(["ActorStarted", "ActorCrashed", "", "ActorStopped"], events.Records.Select(e => e.EventType));
        Assert.Equal([ActorAddress.Parse("local:1"), ActorAddress.Parse("local:1"), (ActorAddress?)null, ActorAddress.Parse("local:3")], events.Records.Select(e => e.ActorAddress));
        Assert.Equal("hé", events.Records[3].Payload.GetProperty("reason").GetString());
        PersistedDeadLetter letter = Assert.Single((await backend.ReadDeadLettersAsync()).Records);
        Assert.Equal(ActorAddress.Parse("local:2"), letter.Target);
        Assert.Equal(972.54603936, letter.Timestamp);
        PersistedAudit audit = Assert.Single((await backend.ReadAuditsAsync()).Records);
        Assert.Equal(["svc"], audit.RegistryDead);
        Assert.Equal(0, events.SkippedRecords);
    }

    [Fact]
    public async Task Filters_select_by_since_inclusive_actor_type_and_keep_the_most_recent_limit()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        for (int i = 1; i <= 10; i++)
        {
            await backend.RecordEventAsync(Records.Event(i, type: i % 2 == 0 ? "ActorStarted" : "ActorStopped", actor: i % 3 + 1));
            await backend.RecordDeadLetterAsync(Records.DeadLetter(i + 0.5, target: i % 2 + 1, type: i % 2 == 0 ? "Ping" : "Pong"));
        }

        Assert.Equal([5.0, 6, 7, 8, 9, 10], (await backend.ReadEventsAsync(new PersistenceQuery { Since = 5 })).Records.Select(r => r.Timestamp));
        Assert.Equal([2.0, 4, 6, 8, 10], (await backend.ReadEventsAsync(new PersistenceQuery { Type = "ActorStarted" })).Records.Select(r => r.Timestamp));
        Assert.Equal([2.0, 5, 8], (await backend.ReadEventsAsync(new PersistenceQuery { Actor = ActorAddress.Parse("local:3") })).Records.Select(r => r.Timestamp));
        Assert.Equal([8.0, 10], (await backend.ReadEventsAsync(new PersistenceQuery { Type = "ActorStarted", Limit = 2 })).Records.Select(r => r.Timestamp));
        Assert.Equal([1.5, 3.5, 5.5, 7.5, 9.5], (await backend.ReadDeadLettersAsync(new PersistenceQuery { Actor = ActorAddress.Parse("local:2") })).Records.Select(r => r.Timestamp));
        Assert.Equal([9.5], (await backend.ReadDeadLettersAsync(new PersistenceQuery { Type = "Pong", Since = 8, Limit = 5 })).Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Reads_page_through_streams_longer_than_one_page_oldest_first()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { ReadPageSize = 7 });
        await Task.WhenAll(Enumerable.Range(1, 100).Select(i => backend.RecordEventAsync(Records.Event(i)).AsTask()));

        var events = await backend.ReadEventsAsync();
        Assert.Equal(100, events.Records.Count);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (double)i).Order(), events.Records.Select(r => r.Timestamp).Order());
        Assert.Equal([96.0, 97, 98, 99, 100], (await backend.ReadEventsAsync(new PersistenceQuery { Limit = 5 })).Records.Select(r => r.Timestamp).Order());
    }

    [Theory]
    [InlineData(RedisRecordEncoding.MessagePack)]
    [InlineData(RedisRecordEncoding.Json)]
    public async Task Thousands_of_concurrent_pipelined_writes_each_store_their_own_bytes(RedisRecordEncoding encoding)
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Encoding = encoding });
        PersistedEvent[] written = [.. Enumerable.Range(0, 3000).Select(i => Records.Event(i, type: "T" + i, payload: $$"""{"i":{{i}},"text":"{{new string((char)('a' + (i % 26)), i % 300)}}"}"""))];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var pending = new List<ValueTask>();
            for (int i = w; i < written.Length; i += 4)
            {
                pending.Add(backend.RecordEventAsync(written[i]));
            }

            foreach (ValueTask write in pending)
            {
                await write;
            }
        })));

        var read = (await backend.ReadEventsAsync()).Records.OrderBy(e => e.Timestamp).ToArray();
        Assert.Equal(RecordText.Lines(written), RecordText.Lines(read));
        Assert.Equal(3000, backend.GetMetricsSnapshot().RecordsWritten);
    }

    [Fact]
    public async Task Reads_skip_damaged_entries_and_count_them()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "{not json");
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "msgpack", new byte[] { 0xc1, 0x00 });
        await backend.RecordEventAsync(Records.Event(2));

        var events = await backend.ReadEventsAsync();
        Assert.Equal([1.0, 2], events.Records.Select(r => r.Timestamp));
        Assert.Equal(2, events.SkippedRecords);
        Assert.Equal(2, backend.GetMetricsSnapshot().ReadErrors);
    }

    [Fact]
    public async Task Metrics_count_records_and_payload_bytes_written_and_records_read()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { Encoding = RedisRecordEncoding.Json });
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordAuditAsync(Records.Audit(2));
        await backend.ReadEventsAsync();

        PersistenceMetricsSnapshot metrics = backend.GetMetricsSnapshot();
        long expectedBytes = (await redis.Raw.StreamRangeAsync(backend.Keys.Records)).Sum(e => (long)((byte[])e["data"]!).Length);
        Assert.Equal(2, metrics.RecordsWritten);
        Assert.Equal(expectedBytes, metrics.BytesWritten);
        Assert.Equal(1, metrics.RecordsRead);
        Assert.Equal(0, metrics.WriteErrors);

        backend.ResetMetrics();
        Assert.Equal(PersistenceMetricsSnapshot.Zero, backend.GetMetricsSnapshot());
    }

    [Fact]
    public async Task Writes_after_dispose_are_ignored()
    {
        var backend = await redis.ConnectAsync(redis.Options());
        string key = backend.Keys.Records;
        await backend.RecordEventAsync(Records.Event(1));
        await backend.DisposeAsync();

        await backend.RecordEventAsync(Records.Event(2));

        Assert.Equal(1, await redis.Raw.StreamLengthAsync(key));
        Assert.Equal(1, backend.GetMetricsSnapshot().RecordsWritten);
    }

    [Fact]
    public async Task The_backend_reports_every_capability_and_its_name()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        Assert.Equal(new PersistenceBackendCapabilities(true, true, true, true), PersistenceBackendCapabilities.Of(backend));
        Assert.Equal("redis", backend.Name);
        Assert.Same(RetentionPolicy.Unlimited, backend.Retention);
        await backend.FlushAsync();
    }
}
