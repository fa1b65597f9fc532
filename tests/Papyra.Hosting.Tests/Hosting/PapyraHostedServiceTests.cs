using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Papyra.Hosting.Tests.Support;
using Papyra.Persistence;

namespace Papyra.Hosting.Tests.Hosting;

public sealed class PapyraHostedServiceTests
{
    private static readonly PersistenceAnomaly[] Damage =
    [
        new(PersistenceAnomalyType.CorruptedLine, "damaged://store", 2, 57, "unparseable JSON"),
        new(PersistenceAnomalyType.TruncatedLine, "damaged://store", 3, 120, "no newline at end of file"),
    ];

    private static Action<WebApplicationBuilder> With(IPersistenceBackend backend)
        => builder => builder.Services.Configure<PapyraOptions>(o => o.UseBackend(_ => backend));

    [Fact]
    public async Task The_startup_check_runs_before_Kestrel_binds_any_address()
    {
        ServerAddressProbe probe = new();

        await using KestrelApp app = await KestrelApp.StartAsync(
            new Dictionary<string, string?> { ["Papyra:Startup:Mode"] = "FailOnAnomaly" },
            builder => builder.Services.AddSingleton<ISystemHooks>(sp => probe.Attach(sp)));

        Assert.Equal(0, await probe.AddressesAtStartupCheck.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(app.Services.GetRequiredService<ActorSystem>().IsRunning);
        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FailOnAnomaly_with_a_damaged_store_fails_application_start_and_logs_every_anomaly()
    {
        CapturingLoggerProvider logs = new();
        DamagedStoreBackend backend = new(Damage);
        Dictionary<string, string?> configuration = new() { ["Papyra:Startup:Mode"] = "FailOnAnomaly" };

        PersistenceStartupException error = await Assert.ThrowsAsync<PersistenceStartupException>(
            () => KestrelApp.StartAsync(configuration, With(backend), logs: logs));

        Assert.Equal(2, error.Report.Scan?.TotalAnomalies);
        LogEntry refused = Assert.Single(logs.Entries, e => e.EventId.Id == 9003);
        Assert.Equal(LogLevel.Critical, refused.Level);
        Assert.Contains("FailOnAnomaly", refused.Message, StringComparison.Ordinal);
        Assert.Contains("2 persistence anomalies", refused.Message, StringComparison.Ordinal);
        Assert.Contains("CorruptedLine at damaged://store:2 (offset 57): unparseable JSON", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TruncatedLine at damaged://store:3 (offset 120)", refused.Message, StringComparison.Ordinal);
        Assert.True(backend.Disposed, "the backend of a system that never started is closed when the failed host is disposed");
    }

    [Fact]
    public async Task Recover_mode_repairs_the_store_and_the_application_starts()
    {
        DamagedStoreBackend backend = new(Damage);
        Dictionary<string, string?> configuration = new() { ["Papyra:Startup:Mode"] = "Recover", ["Papyra:Startup:RecoveryMode"] = "Repair" };

        await using KestrelApp app = await KestrelApp.StartAsync(configuration, With(backend));

        Assert.False((await backend.ScanAsync()).HasAnomalies);
        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ignore_mode_starts_on_a_damaged_store_and_logs_a_warning()
    {
        DamagedStoreBackend backend = new(Damage);

        await using KestrelApp app = await KestrelApp.StartAsync(new Dictionary<string, string?>(), With(backend));

        Assert.True(app.Services.GetRequiredService<ActorSystem>().IsRunning);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("2 anomalies", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_the_host_disposes_the_system_gracefully_and_persists_its_events()
    {
        DamagedStoreBackend backend = new();
        KestrelApp app = await KestrelApp.StartAsync(new Dictionary<string, string?>(), With(backend));
        ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
        system.Spawn(() => new IdleActor(), name: "idle");
        await system.WaitForEventAsync<ActorStarted>(timeout: TimeSpan.FromSeconds(10));

        await app.DisposeAsync();

        Assert.False(system.IsRunning);
        Assert.True(backend.Disposed);
        Assert.True(backend.StoredRecords >= 2, $"ActorStarted and ActorStopped are persisted; the store holds {backend.StoredRecords} records");
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 9006);
    }

    /// <summary>Records how many addresses the server had bound when the startup check reported its scan.</summary>
    private sealed class ServerAddressProbe : SystemHooks
    {
        private IServiceProvider? _services;

        public TaskCompletionSource<int> AddressesAtStartupCheck { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ServerAddressProbe Attach(IServiceProvider services)
        {
            _services = services;
            return this;
        }

        public override ValueTask OnPersistenceScanAsync(PersistenceScanReport report, CancellationToken cancellationToken)
        {
            IServer server = _services!.GetRequiredService<IServer>();
            AddressesAtStartupCheck.TrySetResult(server.Features.Get<IServerAddressesFeature>()?.Addresses.Count ?? 0);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class IdleActor : Actor
    {
    }
}
