using Papyra.Persistence.Redis.Tests.Infrastructure;
using Papyra.Testing;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>The backend conformance kit (Papyra.Testing) run against the Redis Streams backend, in both encodings.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisMessagePackConformanceTests(RedisServerFixture redis) : PersistenceBackendConformanceTests
{
    // One key prefix per test: backends created again in the same test see the same stream.
    private readonly string _prefix = RedisServer.UniquePrefix();

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RedisStreamsPersistenceBackend(
            redis.RawConnection,
            redis.Options(prefix: _prefix) with { Retention = options.Retention, Encoding = RedisRecordEncoding.MessagePack },
            timeProvider: options.TimeProvider);
    }

    // Positions are entry ids: a kept entry keeps its id through compaction.
    protected override bool PositionsOfKeptRecordsSurviveCompaction => true;

    protected override IPersistenceBackend CreateOtherStoreBackend(BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RedisStreamsPersistenceBackend(
            redis.RawConnection,
            redis.Options(prefix: _prefix + "o") with { Retention = options.Retention, Encoding = RedisRecordEncoding.MessagePack },
            timeProvider: options.TimeProvider);
    }
}

/// <summary>The conformance kit against the JSON (Python-compatible <c>data</c> field) encoding.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisJsonConformanceTests(RedisServerFixture redis) : PersistenceBackendConformanceTests
{
    private readonly string _prefix = RedisServer.UniquePrefix();

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RedisStreamsPersistenceBackend(
            redis.RawConnection,
            redis.Options(prefix: _prefix) with { Retention = options.Retention, Encoding = RedisRecordEncoding.Json },
            timeProvider: options.TimeProvider);
    }

    // Positions are entry ids: a kept entry keeps its id through compaction.
    protected override bool PositionsOfKeptRecordsSurviveCompaction => true;

    protected override IPersistenceBackend CreateOtherStoreBackend(BackendTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RedisStreamsPersistenceBackend(
            redis.RawConnection,
            redis.Options(prefix: _prefix + "o") with { Retention = options.Retention, Encoding = RedisRecordEncoding.Json },
            timeProvider: options.TimeProvider);
    }
}
