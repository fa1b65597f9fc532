using Papyra.Persistence.Redis.Consumers;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests.Cluster;

/// <summary>Recovery, compaction, consumer groups and listing on a real Redis Cluster: with hash-tagged keys no multi-key operation fails with CROSSSLOT.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterTests(RedisClusterFixture cluster)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_url_with_several_endpoints_connects_to_the_cluster_and_round_trips()
    {
        RedisStreamsOptions options = cluster.Options("orders");
        Assert.Equal(5, options.AdditionalEndpoints.Count);
        Assert.Equal(cluster.Cluster.Url, options.RedactedUrl);

        await using var backend = await RedisStreamsPersistenceBackend.ConnectAsync(options);
        await backend.RecordEventAsync(Records.Event(1, system: "orders"));
        await backend.RecordAuditAsync(Records.Audit(2, system: "orders"));

        Assert.True(RedisStreamsPersistenceBackend.IsCluster(backend.Connection));
        Assert.Equal([1.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        Assert.Equal($"{options.KeyPrefix}:{{orders}}:records", backend.Keys.Records);
    }

    [Fact]
    public async Task A_legacy_layout_backend_refuses_the_cluster_and_says_how_to_move()
    {
        RedisStreamsOptions options = cluster.Options() with { KeyLayout = RedisKeyLayout.Legacy };

        var error = Assert.Throws<ArgumentException>(() => new RedisStreamsPersistenceBackend(cluster.Connection, options));
        var connectError = await Assert.ThrowsAsync<ArgumentException>(() => RedisStreamsPersistenceBackend.ConnectAsync(options));

        Assert.Contains("HashTagged", error.Message, StringComparison.Ordinal);
        Assert.Contains("migrate-keys", connectError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_recovery_moves_damaged_entries_to_quarantine_without_crossslot()
    {
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await cluster.Raw.StreamAddAsync(backend.Keys.Records, "data", "{\"kind\": ");
        await cluster.Raw.StreamAddAsync(backend.Keys.Records, "data", "{\"kind\":\"gossip\",\"timestamp\":1}");
        await backend.RecordEventAsync(Records.Event(2));

        PersistenceRecoveryReport report = await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Repair));

        Assert.True(report.IsClean);
        Assert.Equal(2, report.Scan.TotalAnomalies);
        Assert.Equal(2, await cluster.Raw.StreamLengthAsync(backend.Keys.Records));
        Assert.Equal(2, await cluster.Raw.StreamLengthAsync(backend.Keys.Quarantine));
        Assert.Equal([1.0, 2.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Quarantine_recovery_renames_the_stream_within_its_slot()
    {
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await cluster.Raw.StreamAddAsync(backend.Keys.Records, "data", "[1]");

        PersistenceRecoveryReport report = await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Quarantine));

        string moved = Assert.Single(report.QuarantinedFiles);
        Assert.StartsWith(backend.Keys.Quarantine + ":", moved, StringComparison.Ordinal);
        Assert.Equal(2, await cluster.Raw.StreamLengthAsync(moved));
        Assert.False(await cluster.Raw.KeyExistsAsync(backend.Keys.Records));
        await backend.RecordEventAsync(Records.Event(3));
        Assert.Equal([3.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Compaction_applies_retention_and_quarantines_damage_in_one_transaction()
    {
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options() with { Retention = new RetentionPolicy(maxRecords: 2), TrimOnWrite = false });
        for (int i = 1; i <= 5; i++)
        {
            await backend.RecordEventAsync(Records.Event(i));
        }

        await cluster.Raw.StreamAddAsync(backend.Keys.Records, "data", "{");

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal((6, 2), (report.BeforeRecords, report.AfterRecords));
        Assert.Equal(2, await cluster.Raw.StreamLengthAsync(backend.Keys.Records));
        Assert.Equal(1, await cluster.Raw.StreamLengthAsync(backend.Keys.Quarantine));
        Assert.Equal([4.0, 5.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Poison_entries_go_to_the_dead_letter_stream_of_their_system_slot()
    {
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options());
        await backend.RecordEventAsync(Records.Event(1, type: "Poison"));
        RedisStreamConsumer a = backend.CreateConsumer(new RedisConsumerOptions("shipper", "a") { MaxDeliveries = 1 });
        RedisStreamConsumer b = backend.CreateConsumer(new RedisConsumerOptions("shipper", "b") { MaxDeliveries = 1 });
        RedisStreamEntry delivered = Assert.Single(await a.ReadAsync());

        RedisClaimResult? last = null;
        await Poll.UntilAsync(
            async () =>
            {
                last = await b.ClaimIdleAsync(TimeSpan.Zero);
                return last.DeadLettered.Count > 0;
            },
            Timeout,
            "the poison entry to be dead-lettered");

        Assert.Equal([delivered.Id], last!.DeadLettered);
        StreamEntry dead = Assert.Single(await cluster.Raw.StreamRangeAsync(a.DeadLetterKey));
        Assert.Equal(delivered.Id, (string?)dead["source_id"]);
        Assert.Equal(0, (await b.GetPendingAsync()).Count);
    }

    [Fact]
    public async Task Live_metrics_are_published_and_read_in_the_systems_slot()
    {
        RedisStreamsOptions options = cluster.Options("metered");
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, options);
        await backend.RecordEventAsync(Records.Event(1, system: "metered"));
        await backend.PublishMetricsAsync();

        Papyra.Persistence.Redis.Metrics.RedisLiveMetrics? live = await RedisStreamsStore.ReadLiveMetricsAsync(cluster.Connection, options);

        Assert.Equal($"{options.KeyPrefix}:{{metered}}:metrics", backend.Keys.Metrics);
        Assert.NotNull(live);
        Assert.Equal(1, live.Snapshot.RecordsWritten);
        Assert.True(await RedisStreamsStore.RequestMetricsResetAsync(cluster.Connection, options));
    }

    [Fact]
    public async Task Systems_spread_over_the_masters_are_all_listed()
    {
        string prefix = RedisServer.UniquePrefix();
        string[] systems = [.. Enumerable.Range(0, 12).Select(i => $"s{i}")];
        foreach (string system in systems)
        {
            await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options(system, prefix));
            await backend.RecordEventAsync(Records.Event(1, system: system));
        }

        var masters = new HashSet<int>();
        foreach (string system in systems)
        {
            masters.Add((await cluster.Cluster.MasterOfAsync(new RedisStreamKeys(prefix, system, RedisKeyLayout.HashTagged).Records)).Port);
        }

        Assert.True(masters.Count > 1, "the systems' slots should fall on more than one master");
        Assert.Equal(systems.Order(StringComparer.Ordinal), await RedisStreamsStore.ListSystemIdsAsync(cluster.Connection, prefix));
    }

    [Fact]
    public async Task A_legacy_store_on_the_cluster_migrates_to_hash_tagged_keys_losing_and_duplicating_nothing()
    {
        RedisStreamsOptions tagged = cluster.Options("payments");
        RedisStreamsOptions legacy = tagged with { KeyLayout = RedisKeyLayout.Legacy };

        // A legacy store as an older Papyra wrote it (JSON entries, Python-compatible field), across slots.
        var written = new List<string>();
        for (int i = 1; i <= 1500; i++)
        {
            written.Add((string)(await cluster.Raw.StreamAddAsync(legacy.Keys.Records, "data", RecordText.Line(Records.Event(i, system: "payments"))))!);
        }

        await cluster.Raw.StreamAddAsync(legacy.Keys.Quarantine, "reason", "old");
        StreamEntry[] source = await cluster.Raw.StreamRangeAsync(legacy.Keys.Records);
        foreach (StreamEntry entry in source.Take(700))
        {
            await cluster.Raw.StreamAddAsync(tagged.Keys.Records, entry.Values, entry.Id);
        }

        RedisKeyMigrationReport report = await RedisKeyMigration.MigrateAsync(cluster.Connection, legacy);

        Assert.Equal(800 + 1, report.EntriesCopied);
        Assert.Equal(1501, report.EntriesVerified);
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, tagged);
        IReadOnlyList<PersistedEvent> events = (await backend.ReadEventsAsync()).Records;
        Assert.Equal(Enumerable.Range(1, 1500).Select(i => (double)i), events.Select(e => e.Timestamp));
        Assert.Equal(written, (await cluster.Raw.StreamRangeAsync(tagged.Keys.Records)).Select(e => (string)e.Id!));
        Assert.False(await cluster.Raw.KeyExistsAsync(legacy.Keys.Records));
        Assert.False(await cluster.Raw.KeyExistsAsync(legacy.Keys.Quarantine));
        Assert.Equal(1, await cluster.Raw.StreamLengthAsync(tagged.Keys.Quarantine));
    }
}
