using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Papyra.Diagnostics;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Samples.Guide;

/// <summary>docs/guide/metrics.md and docs/guide/tracing.md.</summary>
public static class MetricsAndTracing
{
    /// <summary>A programmatic snapshot of a backend's counters.</summary>
    public static async Task<PersistenceMetricsSnapshot> SnapshotAsync(string path)
    {
        // guide:begin metrics-snapshot
        await using IPersistenceBackend store = await PersistenceBackendProviders.BuiltIn.OpenAsync(
            new PersistenceBackendSettings("json") { Path = path, PublishMetrics = false });
        await ((IPersistenceScanner)store).ScanAsync();

        PersistenceMetricsSnapshot snapshot = ((IPersistenceMetrics)store).GetMetricsSnapshot();
        Console.WriteLine($"scans: {snapshot.Scans}, anomalies: {snapshot.AnomaliesDetected}, written: {snapshot.RecordsWritten}");
        Console.WriteLine(snapshot.ToJson());           // the same field names as `papyra metrics persistence --json`
        snapshot.WritePrometheus(Console.Out);          // Prometheus text exposition
        // guide:end
        return snapshot;
    }

    /// <summary>Papyra's meters exported through the OpenTelemetry SDK (here to memory; in production to OTLP or Prometheus).</summary>
    public static async Task<IReadOnlyList<string>> OpenTelemetryAsync(string path)
    {
        var exported = new List<Metric>();

        // guide:begin metrics-opentelemetry
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(PersistenceMetricNames.Instruments.MeterName)   // "Papyra.Persistence"
            .AddInMemoryExporter(exported)                             // AddOtlpExporter() in production
            .Build();

        await using IPersistenceBackend store = await PersistenceBackendProviders.BuiltIn.OpenAsync(
            new PersistenceBackendSettings("json") { Path = path, PublishMetrics = false });

        // Observable instruments over the backend's snapshot, tagged with the store they describe.
        using var instruments = new PersistenceMetricsInstruments(
            ((IPersistenceMetrics)store).GetMetricsSnapshot,
            new KeyValuePair<string, object?>("papyra.persistence.path", path));

        await store.CountRecordsAsync();
        meters.ForceFlush();
        // guide:end

        return [.. exported.Select(m => m.Name).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The persistence spans of a scan, seen by a plain <see cref="ActivityListener"/>.</summary>
    public static async Task<IReadOnlyList<string>> SpansAsync(string path)
    {
        var spans = new List<string>();

        // guide:begin tracing-listener
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PapyraActivitySources.Persistence,   // "Papyra.Persistence"
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => spans.Add(
                $"{activity.OperationName} records={activity.GetTagItem(PersistenceActivities.RecordsTag)} anomalies={activity.GetTagItem(PersistenceActivities.AnomaliesTag)}"),
        };
        ActivitySource.AddActivityListener(listener);

        await using IPersistenceBackend store = await PersistenceBackendProviders.BuiltIn.OpenAsync(
            new PersistenceBackendSettings("json") { Path = path, PublishMetrics = false });
        await ((IPersistenceScanner)store).ScanAsync();   // one papyra.persistence.scan span
        // guide:end

        return spans;
    }
}
