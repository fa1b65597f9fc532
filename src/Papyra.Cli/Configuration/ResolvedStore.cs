using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Configuration;

/// <summary>
/// The store a command works on: the library's backend settings plus what only the Redis backend
/// reads (which system's streams, under which key prefix); <see langword="null"/> means the default.
/// </summary>
internal sealed record ResolvedStore(PersistenceBackendSettings Settings)
{
    /// <summary>The Redis system id whose streams are read (<c>--system-id</c>); the backend's default when <see langword="null"/>.</summary>
    public string? RedisSystemId { get; init; }

    /// <summary>The Redis key prefix (<c>--key-prefix</c>); the backend's default when <see langword="null"/>.</summary>
    public string? RedisKeyPrefix { get; init; }

    /// <summary>The certificate of a private CA to trust for a <c>rediss://</c> server (<c>--redis-tls-ca</c>); only the system's store when <see langword="null"/>.</summary>
    public string? RedisTlsCa { get; init; }

    public PersistenceBackendKind Backend => Settings.Backend;
}
