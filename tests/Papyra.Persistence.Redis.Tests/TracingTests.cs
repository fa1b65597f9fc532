using System.Collections.Concurrent;
using System.Diagnostics;
using Papyra.Diagnostics;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>The Redis backend traces appends, scans, recoveries and compactions with the span names and tags of the file backends (SPEC §6).</summary>
[Collection(RedisCollection.Name)]
public sealed class TracingTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Appends_scans_recoveries_and_compactions_are_spans_of_the_persistence_source()
    {
        ConcurrentQueue<Activity> stopped = new();
        using ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name == PapyraActivitySources.Persistence,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using Activity test = new Activity("test").Start();
        await using var backend = await redis.ConnectAsync(redis.Options() with { Retention = new RetentionPolicy(maxRecords: 1), TrimOnWrite = false });

        await backend.RecordEventAsync(Records.Event(1));
        await backend.RecordEventAsync(Records.Event(2));
        Assert.Same(test, Activity.Current);
        await redis.Raw.StreamAddAsync(backend.Keys.Records, "data", "{");
        await backend.ScanAsync();
        await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Repair));
        await backend.CompactAsync();

        List<Activity> ours = [.. stopped.Where(a => a.TraceId == test.TraceId)];
        List<Activity> writes = [.. ours.Where(a => a.OperationName == PersistenceActivities.WriteBatchName)];
        Assert.Equal(2, writes.Count);
        Assert.All(writes, w => Assert.Equal(1, w.GetTagItem(PersistenceActivities.RecordsTag)));
        Assert.All(ours, a => Assert.Equal("redis", a.GetTagItem(PersistenceActivities.BackendTag)));
        Assert.All(ours, a => Assert.Equal(backend.Keys.Records, a.GetTagItem(PersistenceActivities.PathTag)));
        Activity recover = Assert.Single(ours, a => a.OperationName == PersistenceActivities.RecoverName);
        Assert.Equal((1L, 0L), ((long)recover.GetTagItem(PersistenceActivities.AnomaliesTag)!, (long)recover.GetTagItem(PersistenceActivities.RemainingAnomaliesTag)!));
        Assert.Equal("Repair", recover.GetTagItem(PersistenceActivities.RecoveryModeTag));
        Activity compact = Assert.Single(ours, a => a.OperationName == PersistenceActivities.CompactName);
        Assert.Equal(1L, compact.GetTagItem(PersistenceActivities.RemovedRecordsTag));

        // The standalone scan, plus the recovery's scan and its verification scan, nested in the recovery span.
        List<Activity> scans = [.. ours.Where(a => a.OperationName == PersistenceActivities.ScanName)];
        Assert.Equal(3, scans.Count);
        Assert.Equal(2, scans.Count(s => s.ParentSpanId == recover.SpanId));
        Assert.Equal(1L, scans[0].GetTagItem(PersistenceActivities.AnomaliesTag));
    }

    [Fact]
    public async Task A_failed_append_ends_its_span_as_an_error()
    {
        ConcurrentQueue<Activity> stopped = new();
        using ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name == PapyraActivitySources.Persistence,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using Activity test = new Activity("test").Start();
        await using var backend = await redis.ConnectAsync(redis.Options() with { MinReplicas = 1, ReplicaAckTimeout = TimeSpan.FromMilliseconds(50) });

        await Assert.ThrowsAsync<IOException>(() => backend.RecordEventAsync(Records.Event(1)).AsTask());

        Activity write = Assert.Single(stopped, a => a.TraceId == test.TraceId && a.OperationName == PersistenceActivities.WriteBatchName);
        Assert.Equal(ActivityStatusCode.Error, write.Status);
        Assert.Contains("only 0 of the 1 replicas", write.StatusDescription, StringComparison.Ordinal);
    }
}
