using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Papyra.Diagnostics;
using Papyra.Hosting.Tests.Support;
using Papyra.Metrics;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Memory;

namespace Papyra.Hosting.Tests.Observability;

[Collection(OpenTelemetryCollection.Name)]
public sealed class OpenTelemetryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static long Sum(IEnumerable<Metric> metrics, string instrument, string systemId)
    {
        long total = 0;
        bool found = false;
        foreach (Metric metric in metrics.Where(m => m.Name == instrument))
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                bool ours = false;
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    ours |= tag.Key == ActorSystem.SystemIdTag && Equals(tag.Value, systemId);
                }

                if (ours)
                {
                    found = true;
                    total += metric.MetricType is MetricType.LongSum or MetricType.LongSumNonMonotonic ? point.GetSumLong() : point.GetGaugeLastValueLong();
                }
            }
        }

        Assert.True(found, $"the exporter received {instrument} for system {systemId}");
        return total;
    }

    [Fact]
    public async Task The_OpenTelemetry_SDK_collects_the_generated_instruments_and_the_persistence_spans()
    {
        List<Metric> metrics = [];
        List<Activity> spans = [];
        using MeterProvider meters = Sdk.CreateMeterProviderBuilder()
            .AddMeter(PersistenceMetricNames.Instruments.MeterName, RuntimeMetricNames.Instruments.MeterName)
            .AddInMemoryExporter(metrics)
            .Build();
        using TracerProvider tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(PapyraActivitySources.Persistence)
            .AddInMemoryExporter(spans)
            .Build();

        await using (ActorSystem system = new(new ActorSystemOptions
        {
            SystemId = "otel-sdk",
            Persistence = new InMemoryPersistenceBackend(new RetentionPolicy(maxRecords: 1)),
            StartupCheck = new PersistenceStartupConfig(PersistenceStartupMode.FailOnAnomaly),
        }))
        {
            await system.StartAsync();
            ActorRef echo = system.Spawn(() => new EchoActor(), name: "echo");
            Assert.Equal("one", await echo.AskAsync<string>("one", Timeout));
            Assert.Equal("two", await echo.AskAsync<string>("two", Timeout));
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await echo.AskAsync<string>("boom", Timeout));
            await system.WaitForEventAsync<ActorRestarted>(timeout: Timeout);
            await system.FlushPersistenceAsync();
            Assert.NotNull(await system.CompactAsync());

            Assert.True(meters.ForceFlush(10_000));
        }

        Assert.Equal(3, Sum(metrics, RuntimeMetricNames.Instruments.MessagesProcessed, "otel-sdk"));
        Assert.Equal(1, Sum(metrics, RuntimeMetricNames.Instruments.Restarts, "otel-sdk"));
        Assert.Equal(1, Sum(metrics, RuntimeMetricNames.Instruments.ActorsAlive, "otel-sdk"));
        Assert.True(Sum(metrics, PersistenceMetricNames.Instruments.RecordsWritten, "otel-sdk") >= 2, "ActorStarted, ActorCrashed and ActorRestarted were written");
        Assert.Equal(1, Sum(metrics, PersistenceMetricNames.Instruments.Compactions, "otel-sdk"));
        Assert.Contains(metrics, m => m.MeterName == PersistenceMetricNames.Instruments.MeterName);

        Activity startup = Assert.Single(spans, s => s.OperationName == PersistenceActivities.StartupCheckName);
        Activity scan = Assert.Single(spans, s => s.OperationName == PersistenceActivities.ScanName);
        Assert.Equal(startup.SpanId, scan.ParentSpanId);
        Assert.Equal("memory", scan.GetTagItem(PersistenceActivities.BackendTag));
        Assert.Equal(0L, scan.GetTagItem(PersistenceActivities.AnomaliesTag));
        Activity compact = Assert.Single(spans, s => s.OperationName == PersistenceActivities.CompactName);
        Assert.True((long)compact.GetTagItem(PersistenceActivities.RemovedRecordsTag)! >= 1, "retention of one record removed the others");
    }

    [Fact]
    public async Task A_host_wired_with_AddOpenTelemetry_exports_Papyra_metrics_and_traces_the_health_scan_inside_the_request()
    {
        List<Metric> metrics = [];
        List<Activity> spans = [];
        KestrelApp app = await KestrelApp.StartAsync(
            new Dictionary<string, string?> { ["Papyra:SystemId"] = "otel-host" },
            builder => builder.Services.AddOpenTelemetry()
                .WithMetrics(m => m.AddMeter(PersistenceMetricNames.Instruments.MeterName, RuntimeMetricNames.Instruments.MeterName).AddInMemoryExporter(metrics))
                .WithTracing(t => t.AddSource(PapyraActivitySources.Persistence, "Microsoft.AspNetCore").AddInMemoryExporter(spans)));
        await using (app)
        {
            ActorRef echo = app.Services.GetRequiredService<ActorSystem>().Spawn(() => new EchoActor());
            Assert.Equal(42, await echo.AskAsync<int>(42, Timeout));
            using HttpResponseMessage health = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
            health.EnsureSuccessStatusCode();
            Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

            Assert.Equal(1, Sum(metrics, RuntimeMetricNames.Instruments.MessagesProcessed, "otel-host"));
            Assert.Equal(1, Sum(metrics, RuntimeMetricNames.Instruments.ActorsAlive, "otel-host"));
            Activity startup = Assert.Single(spans, s => s.OperationName == PersistenceActivities.StartupCheckName);
            Activity request = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore");
            Assert.Equal(2, spans.Count(s => s.OperationName == PersistenceActivities.ScanName));
            Assert.Contains(spans, s => s.OperationName == PersistenceActivities.ScanName && s.ParentSpanId == startup.SpanId);
            Assert.Contains(spans, s => s.OperationName == PersistenceActivities.ScanName && s.ParentSpanId == request.SpanId);
        }
    }

    [Fact]
    public async Task The_json_backend_traces_group_commits_as_write_batches_and_scans_with_their_anomaly_count()
    {
        List<Activity> spans = [];
        using TempDirectory directory = new();
        string path = directory.File("otel.ndjson");
        File.WriteAllText(path, "{\"kind\":\"event\",\"timestamp\":1}\nnot json\n");
        using TracerProvider tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(PapyraActivitySources.Persistence)
            .AddInMemoryExporter(spans)
            .Build();

        await using (ActorSystem system = new(new ActorSystemOptions
        {
            SystemId = "otel-json",
            Persistence = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false }),
        }))
        {
            await system.StartAsync();
            system.Spawn(() => new EchoActor(), name: "echo");
            await system.WaitForEventAsync<ActorStarted>(timeout: Timeout);
            await system.FlushPersistenceAsync();
        }

        Activity scan = Assert.Single(spans, s => s.OperationName == PersistenceActivities.ScanName && Equals(s.GetTagItem(PersistenceActivities.BackendTag), "json"));
        Assert.Equal(1L, scan.GetTagItem(PersistenceActivities.AnomaliesTag));
        List<Activity> batches = spans.Where(s => s.OperationName == PersistenceActivities.WriteBatchName && Equals(s.GetTagItem(PersistenceActivities.PathTag), path)).ToList();
        Assert.NotEmpty(batches);
        Assert.True(batches.Sum(b => (int)b.GetTagItem(PersistenceActivities.RecordsTag)!) >= 2, "ActorStarted and ActorStopped were committed in write batches");
    }
}
