using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Papyra.Hosting.Tests.Support;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Hosting.Tests.Backends;

/// <summary>
/// <c>"Backend": "Redis"</c> from configuration, through the provider model, against a real
/// redis-server: the hosted system writes its records to the streams of its own system id, and the
/// health endpoint scans them like a file store's.
/// </summary>
public sealed class RedisBackendHostingTests : IAsyncLifetime
{
    private const string Password = "h0sting-s3cret";
    private RedisServer? _server;

    private RedisServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync(password: Password);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private Dictionary<string, string?> RedisConfiguration(string prefix) => new()
    {
        ["Papyra:SystemId"] = "orders",
        ["Papyra:Backend"] = "Redis",
        ["Papyra:BackendOptions:url"] = Server.Url,
        ["Papyra:BackendOptions:key_prefix"] = prefix,
        ["Papyra:Startup:Mode"] = "FailOnAnomaly",
    };

    [Fact]
    public async Task Backend_Redis_in_configuration_writes_the_systems_records_to_its_streams_and_health_scans_them()
    {
        string prefix = RedisServer.UniquePrefix();
        await using (KestrelApp app = await KestrelApp.StartAsync(
            RedisConfiguration(prefix),
            configureBuilder: b => b.Services.AddPapyraBackend(new RedisStreamsBackendProvider())))
        {
            IPersistenceBackend backend = app.Services.GetRequiredService<IPersistenceBackend>();
            Assert.IsType<RedisStreamsPersistenceBackend>(backend);
            ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
            ActorRef echo = system.Spawn(() => new EchoActor(), name: "echo");
            Assert.Equal("ping", await echo.AskAsync<string>("ping", TimeSpan.FromSeconds(10)));

            using HttpResponseMessage health = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
            string body = await health.Content.ReadAsStringAsync();
            Assert.True(health.StatusCode == HttpStatusCode.OK, body);
            using JsonDocument report = JsonDocument.Parse(body);
            Assert.Equal("redis", report.RootElement.GetProperty("backend").GetString());
            Assert.DoesNotContain(Password, body, StringComparison.Ordinal);
        }

        // Read back as a tool would, through the same provider: the system id came from Papyra:SystemId.
        var settings = new PersistenceBackendSettings("redis")
        {
            Options = new Dictionary<string, string> { ["url"] = Server.Url, ["key_prefix"] = prefix, ["system_id"] = "orders" },
            PublishMetrics = false,
        };
        PersistenceBackendProviders providers = PersistenceBackendProviders.BuiltIn.With(new RedisStreamsBackendProvider());
        Assert.Equal(new PersistenceStoreLocation($"{prefix}:orders:records", $"redis://:***@127.0.0.1:{Server.Port}/0"), providers.Locate(settings));
        await using IPersistenceBackend reader = await providers.OpenAsync(settings);
        PersistenceReadResult<PersistedEvent> events = await reader.ReadEventsAsync();
        Assert.Contains(events.Records, e => e.EventType == "ActorStarted" && e.SystemId == "orders");
    }

    [Fact]
    public async Task Backend_Redis_on_a_cluster_from_configuration_with_hash_tagged_keys_and_replicated_durability()
    {
        await using RedisCluster cluster = await RedisCluster.StartAsync();
        string prefix = RedisServer.UniquePrefix();
        var configuration = new Dictionary<string, string?>
        {
            ["Papyra:SystemId"] = "orders",
            ["Papyra:Backend"] = "Redis",
            ["Papyra:BackendOptions:url"] = cluster.Url,
            ["Papyra:BackendOptions:key_prefix"] = prefix,
            ["Papyra:BackendOptions:key_layout"] = "hash_tagged",
            ["Papyra:BackendOptions:min_replicas"] = "1",
            ["Papyra:Startup:Mode"] = "FailOnAnomaly",
        };
        await using (KestrelApp app = await KestrelApp.StartAsync(configuration, configureBuilder: b => b.Services.AddPapyraBackend(new RedisStreamsBackendProvider())))
        {
            var backend = Assert.IsType<RedisStreamsPersistenceBackend>(app.Services.GetRequiredService<IPersistenceBackend>());
            Assert.Equal((RedisKeyLayout.HashTagged, 1, 6), (backend.Options.KeyLayout, backend.Options.MinReplicas, 1 + backend.Options.AdditionalEndpoints.Count));
            ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
            ActorRef echo = system.Spawn(() => new EchoActor(), name: "echo");
            Assert.Equal("ping", await echo.AskAsync<string>("ping", TimeSpan.FromSeconds(10)));

            using HttpResponseMessage health = await app.Client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
            string body = await health.Content.ReadAsStringAsync();
            Assert.True(health.StatusCode == HttpStatusCode.OK, body);
            using JsonDocument report = JsonDocument.Parse(body);
            Assert.Equal("redis", report.RootElement.GetProperty("backend").GetString());
        }

        var settings = new PersistenceBackendSettings("redis")
        {
            Options = new Dictionary<string, string> { ["url"] = cluster.Url, ["key_prefix"] = prefix, ["system_id"] = "orders", ["key_layout"] = "hash_tagged" },
            PublishMetrics = false,
        };
        PersistenceBackendProviders providers = PersistenceBackendProviders.BuiltIn.With(new RedisStreamsBackendProvider());
        Assert.Equal($"{prefix}:{{orders}}:records", providers.Locate(settings).Path);
        await using IPersistenceBackend reader = await providers.OpenAsync(settings);
        PersistenceReadResult<PersistedEvent> events = await reader.ReadEventsAsync();
        Assert.Contains(events.Records, e => e.EventType == "ActorStarted" && e.SystemId == "orders");
    }

    [Fact]
    public async Task Backend_Redis_without_its_provider_registered_fails_start_naming_the_known_backends()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => KestrelApp.StartAsync(RedisConfiguration(RedisServer.UniquePrefix())));

        Assert.Contains(
            "Papyra:Backend 'Redis' is not a known backend (json, rotating, memory); register another backend's provider with AddPapyraBackend.",
            error.Failures);
    }

    [Fact]
    public void AddPapyra_twice_registers_one_system_and_runs_both_configure_delegates_in_order()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPapyra(o => o.SystemId = "first");
        services.AddPapyra(o => o.SystemId += "-then-second");
        services.AddPapyraBackend(new RedisStreamsBackendProvider());
        services.AddPapyraBackend(new RedisStreamsBackendProvider());

        Assert.Single(services, d => d.ImplementationType == typeof(PapyraHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IPersistenceBackendProvider));
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal("first-then-second", provider.GetRequiredService<IOptions<PapyraOptions>>().Value.SystemId);
    }
}
