using Papyra.Persistence.Redis;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>One redis-server shared by the tests of the "redis" collection; each test uses its own key prefix.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private IConnectionMultiplexer? _raw;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A plain StackExchange.Redis connection for writing raw (bad) entries and inspecting keys.</summary>
    public IDatabase Raw => (_raw ?? throw new InvalidOperationException("The fixture has not started.")).GetDatabase();

    public IConnectionMultiplexer RawConnection => _raw ?? throw new InvalidOperationException("The fixture has not started.");

    public RedisStreamsOptions Options(string systemId = "local", string? prefix = null) => Server.Options(systemId, prefix);

    public async Task<RedisStreamsPersistenceBackend> ConnectAsync(RedisStreamsOptions options, TimeProvider? timeProvider = null)
        => await RedisStreamsPersistenceBackend.ConnectAsync(options, timeProvider: timeProvider);

    public async Task InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _raw = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_server.Port}");
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
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
