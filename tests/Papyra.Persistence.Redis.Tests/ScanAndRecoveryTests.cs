using Papyra.Persistence.Redis.Tests.Infrastructure;
using Papyra.Persistence.Startup;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests;

[Collection(RedisCollection.Name)]
public sealed class ScanAndRecoveryTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Scan_of_a_healthy_stream_reports_no_anomalies_and_counts_records()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordAuditAsync(Records.Audit(2));

        PersistenceScanReport report = await backend.ScanAsync();

        Assert.False(report.HasAnomalies);
        Assert.Equal("redis", report.Backend);
        Assert.Equal(backend.Keys.Records, report.Path);
        Assert.Equal(2, report.RecordsScanned);
        Assert.Equal(1, backend.GetMetricsSnapshot().Scans);
    }

    [Fact]
    public async Task Scan_of_a_missing_stream_is_clean()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        Assert.False((await backend.ScanAsync()).HasAnomalies);
    }

    [Fact]
    public async Task Scan_reports_undecodable_entries_and_invalid_records_with_their_entry_ids()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        RedisKey key = backend.Keys.Records;
        await backend.RecordEventAsync(Records.Event(1));
        RedisValue noPayload = await redis.Raw.StreamAddAsync(key, "other", "x");
        RedisValue badJson = await redis.Raw.StreamAddAsync(key, "data", "{\"kind\": ");
        RedisValue badMessagePack = await redis.Raw.StreamAddAsync(key, "msgpack", new byte[] { 0x81, 0xa1 });
        RedisValue trailing = await redis.Raw.StreamAddAsync(key, "msgpack", new byte[] { 0xc0, 0xc0 });
        RedisValue notObject = await redis.Raw.StreamAddAsync(key, "data", "[1,2]");
        RedisValue noKind = await redis.Raw.StreamAddAsync(key, "data", "{\"timestamp\":1}");
        RedisValue unknownKind = await redis.Raw.StreamAddAsync(key, "data", "{\"kind\":\"gossip\",\"timestamp\":1}");
        RedisValue noTimestamp = await redis.Raw.StreamAddAsync(key, "data", "{\"kind\":\"event\"}");
        RedisValue mismatch = await redis.Raw.StreamAddAsync(key, [new NameValueEntry("kind", "audit"), new NameValueEntry("data", "{\"kind\":\"event\",\"timestamp\":1}")]);
        await backend.RecordEventAsync(Records.Event(2));

        PersistenceScanReport report = await backend.ScanAsync();

        Assert.Equal(9, report.TotalAnomalies);
        Assert.Equal(2, report.RecordsScanned);
        Assert.Equal(
            [
                (PersistenceAnomalyType.UndecodableEntry, noPayload),
                (PersistenceAnomalyType.UndecodableEntry, badJson),
                (PersistenceAnomalyType.UndecodableEntry, badMessagePack),
                (PersistenceAnomalyType.UndecodableEntry, trailing),
                (PersistenceAnomalyType.InvalidRecord, notObject),
                (PersistenceAnomalyType.InvalidRecord, noKind),
                (PersistenceAnomalyType.InvalidRecord, unknownKind),
                (PersistenceAnomalyType.InvalidRecord, noTimestamp),
                (PersistenceAnomalyType.InvalidRecord, mismatch),
            ],
            report.Anomalies.Select(a => (a.Type, (RedisValue)a.Detail!.Split(':')[0]["entry ".Length..])));
        Assert.All(report.Anomalies, a => Assert.Equal(backend.Keys.Records, a.Path));
        Assert.Equal(9, backend.GetMetricsSnapshot().AnomaliesDetected);
        Assert.Equal(11, await redis.Raw.StreamLengthAsync(key));
    }

    [Fact]
    public async Task Scan_checks_only_the_newest_sample_of_entries()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { ScanSampleSize = 5, ReadPageSize = 2 });
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "old garbage");
        for (int i = 0; i < 5; i++)
        {
            await backend.RecordEventAsync(Records.Event(i));
        }

        Assert.False((await backend.ScanAsync()).HasAnomalies);
        await using var full = await redis.ConnectAsync(backend.Options with { ScanSampleSize = 0 });
        Assert.Equal(1, (await full.ScanAsync()).TotalAnomalies);
    }

    [Fact]
    public async Task Repair_moves_every_damaged_entry_to_the_quarantine_stream_and_keeps_valid_ones()
    {
        await using var backend = await redis.ConnectAsync(redis.Options() with { ScanSampleSize = 2 });
        RedisKey key = backend.Keys.Records;
        RedisValue oldBad = await redis.Raw.StreamAddAsync(key, "data", "not json");
        await backend.RecordEventAsync(Records.Event(1));
        RedisValue newBad = await redis.Raw.StreamAddAsync(key, [new NameValueEntry("kind", "event"), new NameValueEntry("msgpack", new byte[] { 0xff })]);
        await backend.RecordEventAsync(Records.Event(2));

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.True(report.Scan.HasAnomalies);
        Assert.True(report.IsClean);
        Assert.Equal([backend.Keys.Records], report.RepairedFiles);
        Assert.Equal([backend.Keys.Quarantine], report.RejectedFiles);
        Assert.Equal([1.0, 2], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        StreamEntry[] quarantined = await redis.Raw.StreamRangeAsync(backend.Keys.Quarantine);
        Assert.Equal([oldBad, newBad], quarantined.Select(q => q["source_id"]));
        Assert.Equal("not json", (string?)quarantined[0]["original.data"]);
        Assert.Equal(new byte[] { 0xff }, (byte[])quarantined[1]["original.msgpack"]!);
        Assert.Equal("event", (string?)quarantined[1]["original.kind"]);
        Assert.Equal(backend.Keys.Records, (string?)quarantined[0]["source"]);
        Assert.StartsWith("UndecodableEntry", (string?)quarantined[0]["reason"], StringComparison.Ordinal);
        Assert.Equal(0, (await backend.ScanAsync()).TotalAnomalies);
        Assert.Equal(1, backend.GetMetricsSnapshot().Recoveries);
    }

    [Fact]
    public async Task Quarantine_sets_the_whole_stream_aside_intact_and_writes_start_a_fresh_one()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "oops");

        PersistenceRecoveryReport report = await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Quarantine));
        await backend.RecordEventAsync(Records.Event(2));

        string aside = Assert.Single(report.QuarantinedFiles);
        Assert.StartsWith(backend.Keys.Quarantine + ":", aside, StringComparison.Ordinal);
        Assert.Equal(2, await redis.Raw.StreamLengthAsync(aside));
        Assert.True(report.IsClean);
        Assert.Equal([2.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task Ignore_recovery_reports_and_changes_nothing()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "oops");

        PersistenceRecoveryReport report = await backend.RecoverAsync();

        Assert.False(report.IsClean);
        Assert.Empty(report.RepairedFiles);
        Assert.Equal(1, await redis.Raw.StreamLengthAsync(backend.Keys.Records));
    }

    [Fact]
    public async Task Startup_check_fails_on_anomalies_and_recover_mode_makes_the_stream_clean()
    {
        await using var backend = await redis.ConnectAsync(redis.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "oops");

        PersistenceStartupReport failed = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.FailOnAnomaly));
        PersistenceStartupReport recovered = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.Recover));

        Assert.False(failed.Passed);
        Assert.True(recovered.Passed);
        Assert.Single((await backend.ReadEventsAsync()).Records);
    }
}
