using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Papyra.Persistence;
using Xunit;

namespace Papyra.Testing;

/// <summary>
/// The persistence backend conformance kit: inherit this class in an xunit test project, implement
/// <see cref="CreateBackend(BackendTestOptions)"/>, and every test here runs against your backend. It checks the
/// contract of SPEC §5 that every backend shares: round trips of each record kind, read filters,
/// retention applied logically on reads and physically by compaction, metrics, concurrency and
/// disposal. File-like backends inherit <see cref="FileDamageConformanceTests"/> instead, which adds
/// corruption, truncation and recovery cases.
/// </summary>
/// <remarks>Each test creates its backends through <see cref="CreateBackend(BackendTestOptions)"/>; a backend created again for the same test instance must see the same store when <see cref="IsDurable"/> is true.</remarks>
public abstract partial class PersistenceBackendConformanceTests
{
    /// <summary>An address used by the tests.</summary>
    protected static readonly ActorAddress One = new("local", 1);

    /// <summary>Another address used by the tests.</summary>
    protected static readonly ActorAddress Two = new("local", 2);

    /// <summary>
    /// The clock given to every backend the test creates: .NET's <see cref="FakeTimeProvider"/> (fake timers
    /// included), starting at <see cref="Start"/> and moving only when a test advances it.
    /// </summary>
    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    /// <summary>The clock's start in Unix epoch seconds: test records are stamped relative to it.</summary>
    protected double Start => 1_700_000_000;

    /// <summary>Whether a backend created again (in the same test) reads what an earlier, disposed one wrote.</summary>
    protected virtual bool IsDurable => true;

    /// <summary>Creates the backend under test over this test's store.</summary>
    /// <param name="options">The retention and clock the backend must use.</param>
    /// <returns>A new backend instance.</returns>
    protected abstract IPersistenceBackend CreateBackend(BackendTestOptions options);

    /// <summary>Creates a backend with no retention.</summary>
    /// <returns>A new backend instance.</returns>
    protected IPersistenceBackend CreateBackend() => CreateBackend(new BackendTestOptions(RetentionPolicy.Unlimited, Clock));

    /// <summary>Creates a backend with a retention policy.</summary>
    /// <param name="retention">The policy.</param>
    /// <returns>A new backend instance.</returns>
    protected IPersistenceBackend CreateBackend(RetentionPolicy retention) => CreateBackend(new BackendTestOptions(retention, Clock));

    /// <summary>An event at <paramref name="timestamp"/> seconds after the clock's start.</summary>
    /// <param name="timestamp">Seconds after <see cref="Clock"/>'s start.</param>
    /// <param name="address">The actor.</param>
    /// <param name="type">The event type.</param>
    /// <returns>The event.</returns>
    protected PersistedEvent Event(double timestamp, ActorAddress? address = null, string type = "ActorStarted")
        => new("local", address ?? One, type, null, Start + timestamp);

    /// <summary>Writes events at the given offsets, in order.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="timestamps">Seconds after the clock's start.</param>
    /// <returns>A task that completes when every write completed.</returns>
    protected async Task WriteEventsAsync(IPersistenceBackend backend, params double[] timestamps)
    {
        ArgumentNullException.ThrowIfNull(backend);
        foreach (double timestamp in timestamps ?? [])
        {
            await backend.RecordEventAsync(Event(timestamp));
        }
    }

    /// <summary>Reads the event offsets (seconds after the clock's start).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="query">The query.</param>
    /// <returns>The offsets, oldest first.</returns>
    protected async Task<double[]> EventOffsetsAsync(IPersistenceBackend backend, PersistenceQuery? query = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        PersistenceReadResult<PersistedEvent> result = await backend.ReadEventsAsync(query);
        return [.. result.Records.Select(e => Math.Round(e.Timestamp - Start, 3))];
    }

    /// <summary>An event keeps every field through a write and a read.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Event_round_trips_every_field()
    {
        await using IPersistenceBackend backend = CreateBackend();
        using JsonDocument payload = JsonDocument.Parse("""{"error":"RuntimeError: boom","nested":{"n":[1,2.5,null,true]},"text":"héllo 😀 \"q\" \n"}""");
        var written = new PersistedEvent("sys-1", new ActorAddress("sys-1", 42), "ActorCrashed", payload.RootElement, Start + 0.125);

        await backend.RecordEventAsync(written);
        PersistedEvent read = Assert.Single((await backend.ReadEventsAsync()).Records);

        Assert.Equal(written.SystemId, read.SystemId);
        Assert.Equal(written.ActorAddress, read.ActorAddress);
        Assert.Equal(written.EventType, read.EventType);
        Assert.Equal(written.Timestamp, read.Timestamp);
        Assert.True(JsonElement.DeepEquals(written.Payload, read.Payload), $"payload read back as {read.Payload.GetRawText()}");
    }

    /// <summary>An audit keeps every field through a write and a read.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Audit_round_trips_every_field()
    {
        await using IPersistenceBackend backend = CreateBackend();
        var written = new PersistedAudit("local", Start, 5, 4, 1, 2, 3, ["orphan"], ["svc", "dead"], 7);

        await backend.RecordAuditAsync(written);
        PersistedAudit read = Assert.Single((await backend.ReadAuditsAsync()).Records);

        Assert.Equal(
            (written.SystemId, written.Timestamp, written.TotalActors, written.AliveActors, written.StoppingActors, written.RestartingActors, written.RegistrySize, written.DeadLettersCount),
            (read.SystemId, read.Timestamp, read.TotalActors, read.AliveActors, read.StoppingActors, read.RestartingActors, read.RegistrySize, read.DeadLettersCount));
        Assert.Equal(written.RegistryOrphans, read.RegistryOrphans);
        Assert.Equal(written.RegistryDead, read.RegistryDead);
    }

    /// <summary>A dead letter keeps every field through a write and a read.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Dead_letter_round_trips_every_field()
    {
        await using IPersistenceBackend backend = CreateBackend();
        using JsonDocument payload = JsonDocument.Parse("\"late 😀\"");
        var written = new PersistedDeadLetter("local", Two, "String", payload.RootElement, Start + 1.5, expectsReply: true);
        var unknownTarget = new PersistedDeadLetter("local", null, "Int32", null, Start + 2);

        await backend.RecordDeadLetterAsync(written);
        await backend.RecordDeadLetterAsync(unknownTarget);
        IReadOnlyList<PersistedDeadLetter> read = (await backend.ReadDeadLettersAsync()).Records;

        Assert.Equal(2, read.Count);
        Assert.Equal((Two, "String", "late 😀", true, written.Timestamp), (read[0].Target!.Value, read[0].MessageType, read[0].Payload.GetString(), read[0].ExpectsReply, read[0].Timestamp));
        Assert.Null(read[1].Target);
        Assert.Equal(JsonValueKind.Null, read[1].Payload.ValueKind);
        Assert.False(read[1].ExpectsReply);
    }

    /// <summary>Each read returns only its kind, in write order.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reads_return_only_the_requested_kind_oldest_first()
    {
        await using IPersistenceBackend backend = CreateBackend();
        await backend.RecordEventAsync(Event(3));
        await backend.RecordAuditAsync(new PersistedAudit("local", Start + 1, 0, 0, 0, 0, 0, null, null, 0));
        await backend.RecordEventAsync(Event(1));
        await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", One, "String", null, Start + 2));

        Assert.Equal(new double[] { 3.0, 1.0 }, await EventOffsetsAsync(backend));
        Assert.Single((await backend.ReadAuditsAsync()).Records);
        Assert.Single((await backend.ReadDeadLettersAsync()).Records);
    }

    /// <summary><see cref="PersistenceQuery.Since"/> is inclusive and <see cref="PersistenceQuery.Limit"/> keeps the newest matches, still oldest first.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Query_since_is_inclusive_and_limit_keeps_the_newest()
    {
        await using IPersistenceBackend backend = CreateBackend();
        await WriteEventsAsync(backend, 1, 2, 3, 4, 5);

        Assert.Equal(new double[] { 3.0, 4.0, 5.0 }, await EventOffsetsAsync(backend, new PersistenceQuery { Since = Start + 3 }));
        Assert.Equal(new double[] { 4.0, 5.0 }, await EventOffsetsAsync(backend, new PersistenceQuery { Limit = 2 }));
        Assert.Equal(new double[] { 5.0 }, await EventOffsetsAsync(backend, new PersistenceQuery { Limit = 1, Since = Start + 2 }));
    }

    /// <summary>Actor and type filters match exactly.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Query_actor_and_type_filter_events_and_dead_letters_exactly()
    {
        await using IPersistenceBackend backend = CreateBackend();
        await backend.RecordEventAsync(Event(1, One, "ActorStarted"));
        await backend.RecordEventAsync(Event(2, Two, "ActorStarted"));
        await backend.RecordEventAsync(Event(3, One, "ActorCrashed"));
        await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", Two, "String", null, Start + 4));
        await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", One, "Int32", null, Start + 5));

        Assert.Equal(new double[] { 1.0, 3.0 }, await EventOffsetsAsync(backend, new PersistenceQuery { Actor = One }));
        Assert.Equal(new double[] { 3.0 }, await EventOffsetsAsync(backend, new PersistenceQuery { Actor = One, Type = "ActorCrashed" }));
        Assert.Empty(await EventOffsetsAsync(backend, new PersistenceQuery { Type = "actorcrashed" }));
        Assert.Equal("String", Assert.Single((await backend.ReadDeadLettersAsync(new PersistenceQuery { Actor = Two })).Records).MessageType);
        Assert.Equal(One, Assert.Single((await backend.ReadDeadLettersAsync(new PersistenceQuery { Type = "Int32" })).Records).Target);
    }

    /// <summary>max_records counts records of every kind together and keeps the most recent.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Retention_max_records_applies_to_reads_across_kinds()
    {
        await using IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxRecords: 3));
        await WriteEventsAsync(backend, 1, 2, 3);
        await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", One, "String", null, Start + 4));

        Assert.Equal(new double[] { 2.0, 3.0 }, await EventOffsetsAsync(backend));
        Assert.Single((await backend.ReadDeadLettersAsync()).Records);
    }

    /// <summary>max_age_seconds is measured against the backend's clock.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Retention_max_age_applies_to_reads_by_the_injected_clock()
    {
        await using IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxAgeSeconds: 10));
        await WriteEventsAsync(backend, 0, 5, 10);

        Assert.Equal(new double[] { 0.0, 5.0, 10.0 }, await EventOffsetsAsync(backend));
        Clock.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(new double[] { 10.0 }, await EventOffsetsAsync(backend));
    }

    /// <summary>max_total_bytes keeps the newest records whose stored size fits.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Retention_max_total_bytes_keeps_the_newest_records_that_fit()
    {
        long lineBytes;
        await using (IPersistenceBackend probe = CreateBackend())
        {
            if (probe is not IPersistenceMetrics metrics)
            {
                Assert.Fail("This test measures a record's stored size through IPersistenceMetrics.BytesWritten; override it when the backend has no metrics.");
                return;
            }

            await WriteEventsAsync(probe, 1, 2, 3, 4);
            lineBytes = metrics.GetMetricsSnapshot().BytesWritten / 4;
            Assert.True(lineBytes > 0, "bytes_written must count stored bytes");
        }

        await using IPersistenceBackend backend = IsDurable
            ? CreateBackend(new RetentionPolicy(maxTotalBytes: (lineBytes * 2) + (lineBytes / 2)))
            : await RefilledAsync(new RetentionPolicy(maxTotalBytes: (lineBytes * 2) + (lineBytes / 2)));

        Assert.Equal(new double[] { 3.0, 4.0 }, await EventOffsetsAsync(backend));

        async Task<IPersistenceBackend> RefilledAsync(RetentionPolicy policy)
        {
            IPersistenceBackend fresh = CreateBackend(policy);
            await WriteEventsAsync(fresh, 1, 2, 3, 4);
            return fresh;
        }
    }

    /// <summary>Retention hides records from reads but only compaction removes them, reporting before and after counts.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Compaction_applies_retention_physically_and_reports_counts()
    {
        await using IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxRecords: 2));
        if (backend is not IPersistenceCompactor compactor)
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2, 3, 4, 5);

        CompactionReport report = await compactor.CompactAsync();

        Assert.Equal(backend.Name, report.Backend);
        Assert.Equal((5L, 2L, 3L), (report.BeforeRecords, report.AfterRecords, report.RemovedRecords));
        Assert.Equal(new double[] { 4.0, 5.0 }, await EventOffsetsAsync(backend));
        if (report.ReclaimedBytes is { } reclaimed)
        {
            Assert.True(reclaimed > 0, "removing records reclaims bytes");
        }

        if (IsDurable)
        {
            await backend.DisposeAsync();
            await using IPersistenceBackend unlimited = CreateBackend();
            Assert.Equal(new double[] { 4.0, 5.0 }, await EventOffsetsAsync(unlimited));
        }
    }

    /// <summary>Compaction with no retention keeps every record.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Compaction_without_retention_keeps_every_record()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (backend is not IPersistenceCompactor compactor)
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2, 3);

        CompactionReport report = await compactor.CompactAsync();

        Assert.Equal((3L, 3L), (report.BeforeRecords, report.AfterRecords));
        Assert.Equal(new double[] { 1.0, 2.0, 3.0 }, await EventOffsetsAsync(backend));
    }

    /// <summary>Writes are counted; a reset zeroes every counter, error counters included.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Metrics_count_writes_and_reset_zeroes_every_counter()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (backend is not IPersistenceMetrics metrics)
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2);
        await backend.ReadEventsAsync();
        PersistenceMetricsSnapshot snapshot = metrics.GetMetricsSnapshot();

        Assert.Equal(2, snapshot.RecordsWritten);
        Assert.True(snapshot.BytesWritten > 0);
        Assert.Equal(2, snapshot.RecordsRead);
        metrics.ResetMetrics();
        Assert.All(metrics.GetMetricsSnapshot().ToDictionary(), counter => Assert.Equal(0, counter.Value));
    }

    /// <summary>Scans, recoveries and compactions are counted.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Metrics_count_scans_recoveries_and_compactions()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (backend is not (IPersistenceMetrics metrics and IPersistenceScanner scanner and IPersistenceRecoverer recoverer and IPersistenceCompactor compactor))
        {
            return;
        }

        await scanner.ScanAsync();
        await recoverer.RecoverAsync(PersistenceRecoveryConfig.Repair);
        await compactor.CompactAsync();
        PersistenceMetricsSnapshot snapshot = metrics.GetMetricsSnapshot();

        Assert.True(snapshot.Scans >= 2, $"a scan and the recovery's scan are counted (scans = {snapshot.Scans})");
        Assert.Equal((1L, 1L, 0L), (snapshot.Recoveries, snapshot.Compactions, snapshot.AnomaliesDetected));
    }

    /// <summary>A disposed backend ignores writes instead of failing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Writes_after_dispose_are_ignored()
    {
        IPersistenceBackend backend = CreateBackend();
        await WriteEventsAsync(backend, 1);
        await backend.DisposeAsync();

        await backend.RecordEventAsync(Event(2));

        if (backend is IPersistenceMetrics metrics)
        {
            Assert.Equal(1, metrics.GetMetricsSnapshot().RecordsWritten);
        }

        if (IsDurable)
        {
            await using IPersistenceBackend reopened = CreateBackend();
            Assert.Equal(new double[] { 1.0 }, await EventOffsetsAsync(reopened));
        }
    }

    /// <summary>Concurrent writers lose nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Concurrent_writes_are_all_stored()
    {
        await using IPersistenceBackend backend = CreateBackend();
        const int Writers = 8;
        const int PerWriter = 50;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var pending = new List<Task>();
            for (int i = 0; i < PerWriter; i++)
            {
                pending.Add(backend.RecordEventAsync(Event((w * PerWriter) + i)).AsTask());
            }

            await Task.WhenAll(pending);
        })));

        double[] offsets = await EventOffsetsAsync(backend);
        Assert.Equal(Enumerable.Range(0, Writers * PerWriter).Select(i => (double)i), offsets.Order());
    }

    /// <summary>What a disposed backend wrote is there for the next one.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Records_survive_reopening_when_the_backend_is_durable()
    {
        await using (IPersistenceBackend backend = CreateBackend())
        {
            await WriteEventsAsync(backend, 1, 2);
            await backend.FlushAsync();
        }

        await using IPersistenceBackend reopened = CreateBackend();
        Assert.Equal(IsDurable ? new[] { 1.0, 2.0 } : [], await EventOffsetsAsync(reopened));
    }

    /// <summary>A healthy store scans clean, and recovering it changes nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Healthy_store_scans_clean_and_recovery_verifies_clean()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (backend is not (IPersistenceScanner scanner and IPersistenceRecoverer recoverer))
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2);

        PersistenceScanReport scan = await scanner.ScanAsync();
        PersistenceRecoveryReport recovery = await recoverer.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.False(scan.HasAnomalies);
        Assert.Equal(backend.Name, scan.Backend);
        Assert.True(recovery.IsClean);
        Assert.Empty(recovery.RepairedFiles);
        Assert.Empty(recovery.RejectedFiles);
        Assert.Equal(new double[] { 1.0, 2.0 }, await EventOffsetsAsync(backend));
    }

    /// <summary>The capabilities a backend reports are the interfaces it implements.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Capabilities_match_the_implemented_interfaces()
    {
        await using IPersistenceBackend backend = CreateBackend();
        PersistenceBackendCapabilities capabilities = PersistenceBackendCapabilities.Of(backend);

        Assert.Equal(backend is IPersistenceScanner, capabilities.SupportsScan);
        Assert.Equal(backend is IPersistenceMetrics, capabilities.SupportsMetrics);
        Assert.False(string.IsNullOrWhiteSpace(backend.Name));
        Assert.NotNull(backend.Retention);
    }
}
