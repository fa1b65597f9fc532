using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence;
using Papyra.Persistence.Memory;

namespace Papyra.Runtime.Tests.Persistence;

public sealed class InMemoryPersistenceBackendTests
{
    private static readonly ActorAddress One = new("local", 1);
    private static readonly ActorAddress Two = new("local", 2);

    [Fact]
    public async Task Reads_return_records_of_the_requested_kind_oldest_first()
    {
        await using var backend = new InMemoryPersistenceBackend();
        await backend.RecordEventAsync(Event(One, "ActorStarted", 1));
        await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", One, "String", null, 2));
        await backend.RecordEventAsync(Event(Two, "ActorStarted", 3));

        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync();

        Assert.Equal([1.0, 3.0], events.Records.Select(e => e.Timestamp));
        Assert.Single((await backend.ReadDeadLettersAsync()).Records);
        Assert.Empty((await backend.ReadAuditsAsync()).Records);
    }

    [Fact]
    public async Task Query_filters_by_since_actor_type_and_keeps_the_newest_limit()
    {
        await using var backend = new InMemoryPersistenceBackend();
        for (int i = 1; i <= 6; i++)
        {
            await backend.RecordEventAsync(Event(i % 2 == 0 ? One : Two, i % 3 == 0 ? "ActorCrashed" : "ActorStarted", i));
        }

        Assert.Equal([2.0, 4.0, 6.0], (await backend.ReadEventsAsync(new PersistenceQuery { Actor = One })).Records.Select(e => e.Timestamp));
        Assert.Equal([3.0, 6.0], (await backend.ReadEventsAsync(new PersistenceQuery { Type = "ActorCrashed" })).Records.Select(e => e.Timestamp));
        Assert.Equal([4.0, 5.0, 6.0], (await backend.ReadEventsAsync(new PersistenceQuery { Since = 4 })).Records.Select(e => e.Timestamp));
        Assert.Equal([5.0, 6.0], (await backend.ReadEventsAsync(new PersistenceQuery { Limit = 2 })).Records.Select(e => e.Timestamp));
    }

    [Fact]
    public async Task Retention_applies_on_reads_and_physically_only_on_compaction()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(1000));
        await using var backend = new InMemoryPersistenceBackend(new RetentionPolicy(maxRecords: 2), clock);
        for (int i = 1; i <= 5; i++)
        {
            await backend.RecordEventAsync(Event(One, "E", i));
        }

        Assert.Equal([4.0, 5.0], (await backend.ReadEventsAsync()).Records.Select(e => e.Timestamp));
        Assert.Equal(5, backend.Count);

        CompactionReport report = await backend.CompactAsync();

        Assert.Equal(5, report.BeforeRecords);
        Assert.Equal(2, report.AfterRecords);
        Assert.True(report.ReclaimedBytes > 0);
        Assert.Equal(2, backend.Count);
    }

    [Fact]
    public async Task Age_retention_uses_the_injected_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(100));
        await using var backend = new InMemoryPersistenceBackend(new RetentionPolicy(maxAgeSeconds: 30), clock);
        await backend.RecordEventAsync(Event(One, "old", 60));
        await backend.RecordEventAsync(Event(One, "new", 80));

        Assert.Equal(["new"], (await backend.ReadEventsAsync()).Records.Select(e => e.EventType));
        clock.Advance(TimeSpan.FromSeconds(100));
        Assert.Empty((await backend.ReadEventsAsync()).Records);
    }

    [Fact]
    public async Task Metrics_count_writes_and_reset_to_zero()
    {
        await using var backend = new InMemoryPersistenceBackend();
        await backend.RecordEventAsync(Event(One, "E", 1));
        await backend.RecordAuditAsync(new PersistedAudit("local", 2, 1, 1, 0, 0, 1, [], [], 0));

        PersistenceMetricsSnapshot snapshot = backend.GetMetricsSnapshot();
        Assert.Equal(2, snapshot.RecordsWritten);
        Assert.True(snapshot.BytesWritten > 40);

        backend.ResetMetrics();
        Assert.Equal(PersistenceMetricsSnapshot.Zero, backend.GetMetricsSnapshot());
    }

    [Fact]
    public async Task Scan_is_always_clean_and_writes_after_dispose_are_ignored()
    {
        var backend = new InMemoryPersistenceBackend();
        Assert.False((await backend.ScanAsync()).HasAnomalies);
        Assert.True(PersistenceBackendCapabilities.Of(backend) is { SupportsScan: true, SupportsRecover: true, SupportsCompact: true, SupportsMetrics: true });

        await backend.DisposeAsync();
        await backend.RecordEventAsync(Event(One, "late", 1));

        Assert.Equal(0, backend.Count);
    }

    [Fact]
    public async Task Clear_invalidates_every_earlier_position_and_later_records_get_new_ones()
    {
        await using var backend = new InMemoryPersistenceBackend();
        await backend.RecordEventAsync(Event(One, "ActorStarted", 1));
        StoredRecord before = await SingleAsync(backend.ReadAsync(PersistenceReadRequest.All));

        backend.Clear();
        await backend.RecordEventAsync(Event(One, "ActorStarted", 2));
        StoredRecord after = await SingleAsync(backend.ReadAsync(PersistenceReadRequest.All));

        Assert.NotEqual(before.Position, after.Position);
        PersistencePositionException error = await Assert.ThrowsAsync<PersistencePositionException>(() => SingleAsync(backend.ReadAsync(new PersistenceReadRequest { After = before.Position })));
        Assert.Contains("removed", error.Message, StringComparison.Ordinal);
        Assert.Equal("memory", after.Position.Scheme);
    }

    private static async Task<StoredRecord> SingleAsync(IAsyncEnumerable<StoredRecord> records)
    {
        var all = new List<StoredRecord>();
        await foreach (StoredRecord record in records)
        {
            all.Add(record);
        }

        return Assert.Single(all);
    }

    private static PersistedEvent Event(ActorAddress address, string type, double timestamp)
    {
        using JsonDocument payload = JsonDocument.Parse("""{"n":1}""");
        return new PersistedEvent("local", address, type, payload.RootElement, timestamp);
    }
}
