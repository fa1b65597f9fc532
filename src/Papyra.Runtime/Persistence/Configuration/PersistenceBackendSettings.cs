namespace Papyra.Persistence.Configuration;

/// <summary>
/// Everything needed to open a store with one of the built-in backends: which backend, where its
/// data lives and the retention to apply. The <c>papyra</c> CLI resolves it from options, a config
/// file and environment variables; hosts build it from their configuration.
/// </summary>
public sealed record PersistenceBackendSettings
{
    /// <summary>Creates settings for the given backend.</summary>
    /// <param name="backend">The backend to open.</param>
    public PersistenceBackendSettings(PersistenceBackendKind backend)
    {
        Backend = backend;
    }

    /// <summary>The backend to open.</summary>
    public PersistenceBackendKind Backend { get; init; }

    /// <summary>The store file (<c>json</c>) or the base file of the set (<c>rotating</c>); unused by <c>memory</c> and <c>redis</c>.</summary>
    public string? Path { get; init; }

    /// <summary>The Redis connection URL (<c>redis://[user:password@]host[:port][/db]</c>); used by <c>redis</c> only. Never show it unredacted (<see cref="SecretRedaction"/>).</summary>
    public string? RedisUrl { get; init; }

    /// <summary>The retention policy applied to reads and compaction.</summary>
    public RetentionPolicy Retention { get; init; } = RetentionPolicy.Unlimited;

    /// <summary>The largest size of one file of a rotating set, in bytes; <see langword="null"/> for the backend default.</summary>
    public long? RotatingMaxBytes { get; init; }

    /// <summary>The number of files a rotating set keeps; <see langword="null"/> for the backend default.</summary>
    public int? RotatingMaxFiles { get; init; }

    /// <summary>The longest line a file backend reads or writes, in bytes; <see langword="null"/> for the default (64 MiB).</summary>
    public int? MaxLineBytes { get; init; }

    /// <summary>The deepest JSON nesting a file backend reads as a record; <see langword="null"/> for the default (1,000).</summary>
    public int? MaxNestingDepth { get; init; }

    /// <summary>
    /// Whether a file backend publishes its live metrics next to the store (<c>&lt;store&gt;.metrics.json</c>).
    /// On for a running system; tools that only inspect a store turn it off so they never replace
    /// the running system's figures or create files.
    /// </summary>
    public bool PublishMetrics { get; init; } = true;

    /// <summary>How durable a completed write is (file backends); <see cref="PersistenceDurability.Fsync"/> by default.</summary>
    public PersistenceDurability Durability { get; init; } = PersistenceDurability.Fsync;

    /// <summary>
    /// A text naming the store for reports and messages, with secrets removed: the full path for
    /// file backends, the redacted URL for Redis, <c>memory</c> for the in-memory store.
    /// </summary>
    public string DisplayLocation => Backend switch
    {
        PersistenceBackendKind.Memory => "memory",
        PersistenceBackendKind.Redis => SecretRedaction.Redact(RedisUrl) ?? "redis",
        _ => Path is null ? "(no path)" : System.IO.Path.GetFullPath(Path),
    };
}
