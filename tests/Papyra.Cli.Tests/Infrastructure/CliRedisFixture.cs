using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Cli.Tests.Infrastructure;

/// <summary>
/// One real redis-server (with a password, so every test also proves it is never printed) shared by
/// the CLI's Redis tests; each test keeps to its own key prefix.
/// </summary>
public sealed class CliRedisFixture : IAsyncLifetime
{
    public const string Password = "cli-r3dis-s3cret";

    private RedisServer? _server;
    private IConnectionMultiplexer? _raw;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The server's URL, password included, as an operator would pass it.</summary>
    public string Url => Server.Url;

    /// <summary>A plain StackExchange.Redis connection for writing raw (bad) entries and checking keys.</summary>
    public IDatabase Raw => (_raw ?? throw new InvalidOperationException("The fixture has not started.")).GetDatabase();

    /// <summary>Options for writing as a system would; live metrics are published only when asked.</summary>
    public RedisStreamsOptions Options(string prefix, string systemId = RedisStreamsOptions.DefaultSystemId)
        => Server.Options(systemId, prefix);

    /// <summary>Connects a backend as a running system would, to write records into <paramref name="prefix"/>.</summary>
    public async Task<RedisStreamsPersistenceBackend> WriterAsync(string prefix, string systemId = RedisStreamsOptions.DefaultSystemId)
        => await RedisStreamsPersistenceBackend.ConnectAsync(Options(prefix, systemId));

    /// <summary>The command-line options naming this server and a key prefix (and a system id when given).</summary>
    public string[] StoreArgs(string prefix, string? systemId = null)
        => systemId is null
            ? ["--backend", "redis", "--redis-url", Url, "--key-prefix", prefix]
            : ["--backend", "redis", "--redis-url", Url, "--key-prefix", prefix, "--system-id", systemId];

    public static PersistedEvent Event(double timestamp, string system = "local", long actor = 1, string type = "ActorStarted")
        => new(system, new ActorAddress(system, actor), type, Json("{}"), timestamp);

    public static PersistedAudit Audit(double timestamp, string system = "local")
        => new(system, timestamp, 2, 1, 0, 0, 1, [], [], 1);

    public static PersistedDeadLetter DeadLetter(double timestamp, string system = "local")
        => new(system, new ActorAddress(system, 2), "Ping", Json("\"hello\""), timestamp, expectsReply: false);

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync(password: Password);
        _raw = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_server.Port},password={Password}");
    }

    public async Task DisposeAsync()
    {
        if (_raw is not null)
        {
            await _raw.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

[CollectionDefinition(Name)]
public sealed class CliRedisCollection : ICollectionFixture<CliRedisFixture>
{
    public const string Name = "cli-redis";
}
