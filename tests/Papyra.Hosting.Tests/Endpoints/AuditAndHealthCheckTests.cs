using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Papyra.Hosting.Tests.Support;
using Papyra.Persistence;

namespace Papyra.Hosting.Tests.Endpoints;

public sealed class AuditAndHealthCheckTests
{
    [Fact]
    public async Task Audit_reports_the_registry_and_adds_per_actor_details_when_asked()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(new Dictionary<string, string?> { ["Papyra:SystemId"] = "audited" });
        ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
        system.Spawn(() => new EchoActor(), name: "echo");
        await system.WaitForEventAsync<ActorStarted>(timeout: TimeSpan.FromSeconds(10));

        using HttpResponseMessage summary = await app.Client.GetAsync(new Uri("/papyra/audit", UriKind.Relative));
        using HttpResponseMessage detailed = await app.Client.GetAsync(new Uri("/papyra/audit?actors=true", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, summary.StatusCode);
        using JsonDocument audit = JsonDocument.Parse(await summary.Content.ReadAsStringAsync());
        Assert.Equal("audited", audit.RootElement.GetProperty("system_id").GetString());
        Assert.Equal(1, audit.RootElement.GetProperty("alive_actors").GetInt32());
        Assert.Equal(1, audit.RootElement.GetProperty("registry_size").GetInt32());
        Assert.False(audit.RootElement.TryGetProperty("actors", out _));
        using JsonDocument details = JsonDocument.Parse(await detailed.Content.ReadAsStringAsync());
        JsonElement actor = Assert.Single(details.RootElement.GetProperty("actors").EnumerateArray());
        Assert.Equal("audited:1", actor.GetProperty("address").GetString());
        Assert.Equal("echo", actor.GetProperty("name").GetString());
        Assert.True(actor.GetProperty("alive").GetBoolean());
    }

    [Fact]
    public async Task Audit_is_read_only_over_http_so_other_verbs_are_refused()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(new Dictionary<string, string?>());

        using HttpResponseMessage response = await app.Client.PostAsync(new Uri("/papyra/audit", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task AddPapyraHealthCheck_feeds_the_standard_health_checks_endpoint()
    {
        DamagedStoreBackend backend = new(new PersistenceAnomaly(PersistenceAnomalyType.InvalidRecord, "damaged://store", 1, 0, "no kind"));
        await using KestrelApp app = await KestrelApp.StartAsync(
            new Dictionary<string, string?>(),
            builder =>
            {
                builder.Services.Configure<PapyraOptions>(o => o.UseBackend(_ => backend));
                builder.Services.AddHealthChecks().AddPapyraHealthCheck(tags: ["ready"]);
            },
            web => web.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready") }));

        using HttpResponseMessage unhealthy = await app.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Equal("Unhealthy", await unhealthy.Content.ReadAsStringAsync());

        await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);
        HealthReport report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["papyra"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("damaged", entry.Data["backend"]);
        Assert.Equal(0L, entry.Data["total_anomalies"]);
    }

    [Fact]
    public async Task AddPapyraHealthCheck_without_AddPapyra_explains_what_is_missing()
    {
        ServiceCollection services = new();
        services.AddLogging();
        services.AddHealthChecks().AddPapyraHealthCheck();
        await using ServiceProvider provider = services.BuildServiceProvider();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => provider.GetRequiredService<HealthCheckService>().CheckHealthAsync());

        Assert.Contains("requires services.AddPapyra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_within_the_scan_interval_reuse_the_last_scan_and_see_damage_once_it_elapses()
    {
        FakeTimeProvider clock = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
        DamagedStoreBackend backend = new();
        await using KestrelApp app = await KestrelApp.StartAsync(
            new Dictionary<string, string?> { ["Papyra:Health:ScanInterval"] = "00:00:30" },
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(clock);
                builder.Services.Configure<PapyraOptions>(o => o.UseBackend(_ => backend));
            });
        int scansAtStart = backend.Scans;

        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(app));
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(app));
        backend.Damage(new PersistenceAnomaly(PersistenceAnomalyType.TruncatedLine, "damaged://store", 9, 400, null));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(app));
        Assert.Equal(scansAtStart + 1, backend.Scans);

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ProbeAsync(app));
        Assert.Equal(scansAtStart + 2, backend.Scans);
    }

    [Fact]
    public void A_negative_scan_interval_is_refused_naming_the_setting()
    {
        ServiceCollection services = new();
        services.AddPapyra(o => o.Health.ScanInterval = TimeSpan.FromSeconds(-1));
        using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PapyraOptions>>().Value);

        Assert.Contains("Papyra:Health:ScanInterval -00:00:01 is invalid", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> ProbeAsync(KestrelApp app)
    {
        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
        return response.StatusCode;
    }
}
