using Papyra.Persistence.Redis;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>One Redis Cluster (three masters, one replica each) shared by the tests of the "redis-cluster" collection; each test uses its own key prefix.</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;
    private IConnectionMultiplexer? _connection;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A connection to the cluster with Papyra's settings, shared by the tests' backends.</summary>
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The fixture has not started.");

    public IDatabase Raw => Connection.GetDatabase();

    public RedisStreamsOptions Options(string systemId = "local", string? prefix = null) => Cluster.Options(systemId, prefix);

    public async Task InitializeAsync()
    {
        _cluster = await RedisCluster.StartAsync();
        _connection = await RedisStreamsStore.ConnectAsync(_cluster.Options());
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis-cluster";
}
