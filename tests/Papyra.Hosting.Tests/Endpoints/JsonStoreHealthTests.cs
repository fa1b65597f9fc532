using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Papyra.Hosting.Tests.Prometheus;
using Papyra.Hosting.Tests.Support;
using Papyra.Metrics;
using Papyra.Persistence;

namespace Papyra.Hosting.Tests.Endpoints;

/// <summary>The endpoints and the hosted service over a real JSON-lines store on disk, served by Kestrel.</summary>
public sealed class JsonStoreHealthTests : IDisposable
{
    private const string ValidLine = "{\"kind\":\"event\",\"timestamp\":1700000000.5,\"system_id\":\"local\",\"actor_address\":\"local:1\",\"event_type\":\"ActorStarted\"}\n";
    private const string CorruptedLine = "this is not json\n";

    private readonly TempDirectory _directory = new();

    private string StorePath => _directory.File("papyra.ndjson");

    private Dictionary<string, string?> JsonStore(string mode = "Ignore") => new()
    {
        ["Papyra:Backend"] = "Json",
        ["Papyra:Path"] = StorePath,
        ["Papyra:Startup:Mode"] = mode,
    };

    private void WriteCorruptedStore() => File.WriteAllText(StorePath, ValidLine + CorruptedLine + ValidLine);

    [Fact]
    public async Task Health_is_503_with_the_anomalies_while_the_store_is_corrupted_and_200_after_recovery()
    {
        WriteCorruptedStore();
        await using KestrelApp app = await KestrelApp.StartAsync(JsonStore());

        using (HttpResponseMessage corrupted = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, corrupted.StatusCode);
            Assert.Equal("application/json", corrupted.Content.Headers.ContentType?.MediaType);
            using JsonDocument body = JsonDocument.Parse(await corrupted.Content.ReadAsStringAsync());
            JsonElement root = body.RootElement;
            Assert.False(root.GetProperty("healthy").GetBoolean());
            Assert.Equal("Unhealthy", root.GetProperty("status").GetString());
            Assert.Equal("Running", root.GetProperty("state").GetString());
            Assert.Equal("json", root.GetProperty("backend").GetString());
            JsonElement scan = root.GetProperty("scan");
            Assert.Equal(StorePath, scan.GetProperty("path").GetString());
            Assert.False(scan.GetProperty("healthy").GetBoolean());
            Assert.Equal(1, scan.GetProperty("total_anomalies").GetInt64());
            JsonElement anomaly = Assert.Single(scan.GetProperty("anomalies").EnumerateArray());
            Assert.Equal("CorruptedLine", anomaly.GetProperty("type").GetString());
            Assert.Equal(2, anomaly.GetProperty("line").GetInt64());
            Assert.Equal(ValidLine.Length, anomaly.GetProperty("offset").GetInt64());
        }

        using (HttpResponseMessage probedAgain = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, probedAgain.StatusCode);
        }

        IPersistenceRecoverer recoverer = Assert.IsAssignableFrom<IPersistenceRecoverer>(app.Services.GetRequiredService<IPersistenceBackend>());
        PersistenceRecoveryReport recovery = await recoverer.RecoverAsync(PersistenceRecoveryConfig.Repair);
        Assert.True(recovery.IsClean);

        using HttpResponseMessage healthy = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        using JsonDocument after = JsonDocument.Parse(await healthy.Content.ReadAsStringAsync());
        Assert.True(after.RootElement.GetProperty("healthy").GetBoolean());
        Assert.Empty(after.RootElement.GetProperty("scan").GetProperty("anomalies").EnumerateArray());
        Assert.Equal(CorruptedLine, File.ReadAllText(Assert.Single(Directory.GetFiles(_directory.Path, "papyra.ndjson.rejected.*"))));
        Assert.Single(app.Logs.Entries, e => e.EventId.Id == 9010 && e.Message.Contains("1 anomalies", StringComparison.Ordinal));
        Assert.Single(app.Logs.Entries, e => e.EventId.Id == 9012);
    }

    [Fact]
    public async Task FailOnAnomaly_on_a_corrupted_json_store_fails_start_with_a_log_line_naming_each_anomaly()
    {
        WriteCorruptedStore();
        File.AppendAllText(StorePath, "{\"kind\":\"event\"");
        CapturingLoggerProvider logs = new();

        PersistenceStartupException error = await Assert.ThrowsAsync<PersistenceStartupException>(
            () => KestrelApp.StartAsync(JsonStore("FailOnAnomaly"), logs: logs));

        Assert.Equal(2, error.Report.Scan?.TotalAnomalies);
        LogEntry line = Assert.Single(logs.Entries, e => e.EventId.Id == 9003);
        Assert.Equal(LogLevel.Critical, line.Level);
        Assert.Contains($"2 persistence anomalies in json store {StorePath}", line.Message, StringComparison.Ordinal);
        Assert.Contains($"CorruptedLine at {StorePath}:2 (offset {ValidLine.Length})", line.Message, StringComparison.Ordinal);
        Assert.Contains($"TruncatedLine at {StorePath}:4 (offset {(2 * ValidLine.Length) + CorruptedLine.Length})", line.Message, StringComparison.Ordinal);
        Assert.Equal(ValidLine + CorruptedLine + ValidLine + "{\"kind\":\"event\"", File.ReadAllText(StorePath));
    }

    [Fact]
    public async Task Recover_mode_repairs_a_corrupted_json_store_before_the_application_serves()
    {
        WriteCorruptedStore();

        await using KestrelApp app = await KestrelApp.StartAsync(JsonStore("Recover"));

        Assert.Equal(ValidLine + ValidLine, File.ReadAllText(StorePath));
        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_what_the_running_system_wrote_to_the_json_store_in_both_formats()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(JsonStore());
        ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
        ActorRef echo = system.Spawn(() => new EchoActor(), name: "echo");
        Assert.Equal("ping", await echo.AskAsync<string>("ping", TimeSpan.FromSeconds(10)));
        await system.FlushPersistenceAsync();

        using HttpResponseMessage json = await app.Client.GetAsync(new Uri("/papyra/metrics", UriKind.Relative));
        using JsonDocument body = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        long written = body.RootElement.GetProperty("persistence").GetProperty(PersistenceMetricNames.RecordsWritten).GetInt64();
        Assert.True(written >= 1, "ActorStarted was written");
        Assert.Equal(new FileInfo(StorePath).Length, body.RootElement.GetProperty("persistence").GetProperty(PersistenceMetricNames.BytesWritten).GetInt64());
        Assert.Equal(1, body.RootElement.GetProperty("runtime").GetProperty(RuntimeMetricNames.MessagesProcessed).GetInt64());

        using HttpResponseMessage text = await app.Client.GetAsync(new Uri("/papyra/metrics?format=prometheus", UriKind.Relative));
        IReadOnlyList<PrometheusExposition.MetricFamily> families = PrometheusExposition.Parse(await text.Content.ReadAsStringAsync());
        Assert.Equal(written, Assert.Single(families, f => f.Name == PersistenceMetricNames.Prometheus.RecordsWritten).Samples.Single().Value);
        Assert.Equal(1, Assert.Single(families, f => f.Name == RuntimeMetricNames.Prometheus.ActorsAlive).Samples.Single().Value);
    }

    [Fact]
    public async Task An_authorized_compaction_applies_retention_to_the_json_store_and_metrics_reset_zeroes_the_counters()
    {
        File.WriteAllText(StorePath, ValidLine + ValidLine + ValidLine);
        Dictionary<string, string?> configuration = JsonStore();
        configuration["Papyra:Retention:MaxRecords"] = "1";
        configuration["Papyra:Endpoints:EnableMutatingEndpoints"] = "true";
        configuration["Papyra:Endpoints:AuthorizationPolicy"] = "PapyraAdmin";
        await using KestrelApp app = await KestrelApp.StartAsync(configuration, builder =>
        {
            builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
            builder.Services.AddAuthorizationBuilder().AddPolicy("PapyraAdmin", p => p.RequireRole("papyra-admin"));
        });

        using HttpRequestMessage compact = new(HttpMethod.Post, "/papyra/compact");
        compact.Headers.Add("X-Test-User", "admin");
        compact.Headers.Add("X-Test-Roles", "papyra-admin");
        using HttpResponseMessage compacted = await app.Client.SendAsync(compact);

        Assert.Equal(HttpStatusCode.OK, compacted.StatusCode);
        using (JsonDocument report = JsonDocument.Parse(await compacted.Content.ReadAsStringAsync()))
        {
            Assert.Equal(3, report.RootElement.GetProperty("before_records").GetInt64());
            Assert.Equal(1, report.RootElement.GetProperty("after_records").GetInt64());
            Assert.Equal(3 * ValidLine.Length, report.RootElement.GetProperty("before_bytes").GetInt64());
        }

        Assert.Equal(ValidLine, File.ReadAllText(StorePath));

        using HttpRequestMessage reset = new(HttpMethod.Post, "/papyra/metrics/reset");
        reset.Headers.Add("X-Test-User", "admin");
        reset.Headers.Add("X-Test-Roles", "papyra-admin");
        using HttpResponseMessage afterReset = await app.Client.SendAsync(reset);
        using JsonDocument metrics = JsonDocument.Parse(await afterReset.Content.ReadAsStringAsync());
        Assert.All(metrics.RootElement.GetProperty("persistence").EnumerateObject(), counter => Assert.Equal(0, counter.Value.GetInt64()));
    }

    [Fact]
    public async Task The_rotating_backend_is_configured_from_the_section_and_its_stray_files_make_health_503()
    {
        Dictionary<string, string?> configuration = JsonStore();
        configuration["Papyra:Backend"] = "Rotating";
        configuration["Papyra:Rotation:MaxBytes"] = "1024";
        configuration["Papyra:Rotation:MaxFiles"] = "2";
        await using KestrelApp app = await KestrelApp.StartAsync(configuration);
        Assert.Equal("rotating", app.Services.GetRequiredService<IPersistenceBackend>().Name);

        using (HttpResponseMessage clean = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        }

        File.WriteAllText(StorePath + ".bak", ValidLine); // "<store>.7" would be a member of the set, discovered from the directory
        using HttpResponseMessage stray = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stray.StatusCode);
        Assert.Contains("\"type\":\"OrphanedRotatedFile\"", await stray.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
