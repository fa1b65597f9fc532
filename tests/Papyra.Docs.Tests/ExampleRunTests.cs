using Papyra.Docs.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Samples.Guide;

namespace Papyra.Docs.Tests;

/// <summary>The guide's C# examples, run against a store a real actor system wrote.</summary>
public sealed class ExampleRunTests : IAsyncLifetime
{
    private SampleStore? _store;

    private SampleStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => _store = await SampleStore.CreateAsync();

    public Task DisposeAsync()
    {
        _store?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Reading_the_newest_records_returns_five_newest_first()
    {
        IReadOnlyList<PersistedRecord> newest = await ReadingStores.NewestAsync(Store.Path);

        Assert.Equal(5, newest.Count);
        Assert.Equal(newest.OrderByDescending(r => r.Timestamp).Select(r => r.Timestamp), newest.Select(r => r.Timestamp));
        Assert.Contains(newest, r => r is PersistedAudit);
    }

    [Fact]
    public async Task Resuming_after_a_saved_cursor_reads_only_what_came_after_it()
    {
        (int all, string? cursor) = await ReadingStores.ResumeAsync(Store.Path, savedCursor: null);
        File.AppendAllText(Store.Path, "{\"kind\":\"event\",\"timestamp\":1900000000.5,\"system_id\":\"orders\",\"actor_address\":\"orders:9\",\"event_type\":\"ActorStarted\"}\n");

        (int more, string? next) = await ReadingStores.ResumeAsync(Store.Path, cursor);

        Assert.True(all > 5, $"The sample store holds {all} records.");
        Assert.Equal(1, more);
        Assert.NotEqual(cursor, next);
    }

    [Fact]
    public async Task Counting_sees_every_kind()
    {
        PersistenceRecordCounts counts = await ReadingStores.CountAsync(Store.Path);

        Assert.True(counts.Events >= 4, counts.ToString());
        Assert.Equal(1, counts.Audits);
        Assert.Equal(1, counts.DeadLetters);
        Assert.Equal(0, counts.Skipped);
    }

    [Fact]
    public async Task The_metrics_snapshot_counts_the_scan()
    {
        PersistenceMetricsSnapshot snapshot = await MetricsAndTracing.SnapshotAsync(Store.Path);

        Assert.Equal(1, snapshot.Scans);
        Assert.Equal(0, snapshot.AnomaliesDetected);
    }

    [Fact]
    public async Task OpenTelemetry_exports_the_persistence_instruments()
    {
        IReadOnlyList<string> names = await MetricsAndTracing.OpenTelemetryAsync(Store.Path);

        Assert.Contains(PersistenceMetricNames.Instruments.Scans, names);
        Assert.Contains(PersistenceMetricNames.Instruments.RecordsWritten, names);
    }

    [Fact]
    public async Task A_scan_is_traced_as_one_span_with_its_record_count()
    {
        IReadOnlyList<string> spans = await MetricsAndTracing.SpansAsync(Store.Path);

        string scan = Assert.Single(spans, s => s.StartsWith("papyra.persistence.scan ", StringComparison.Ordinal));
        Assert.Contains("anomalies=0", scan, StringComparison.Ordinal);
        Assert.Matches(@"records=[1-9][0-9]* ", scan);
    }

    [Fact]
    public async Task The_hosted_health_probes_answer_200_on_a_clean_store()
    {
        Assert.Equal(200, await Papyra.Samples.Guide.Hosting.ProbeAsync(Store.Path));
    }
}
