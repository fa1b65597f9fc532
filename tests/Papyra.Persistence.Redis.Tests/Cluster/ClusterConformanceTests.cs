using Papyra.Persistence.Redis.Tests.Infrastructure;
using Papyra.Testing;

namespace Papyra.Persistence.Redis.Tests.Cluster;

/// <summary>The backend conformance kit against a real Redis Cluster (three masters, one replica each), hash-tagged keys.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterConformanceTests(RedisClusterFixture cluster) : PersistenceBackendConformanceTests
{
    private readonly string _prefix = RedisServer.UniquePrefix();

    protected override bool PositionsOfKeptRecordsSurviveCompaction => true;

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RedisStreamsPersistenceBackend(
            cluster.Connection,
            cluster.Options(prefix: _prefix) with { Retention = options.Retention },
            timeProvider: options.TimeProvider);
    }

    protected override IPersistenceBackend CreateOtherStoreBackend(BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RedisStreamsPersistenceBackend(
            cluster.Connection,
            cluster.Options(prefix: _prefix + "o") with { Retention = options.Retention },
            timeProvider: options.TimeProvider);
    }
}
