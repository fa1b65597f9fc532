namespace Papyra.Persistence.Configuration;

/// <summary>
/// Everything needed to open a store through its <see cref="IPersistenceBackendProvider"/>: which
/// backend, where its data lives, the retention to apply, and the provider's own options. The
/// <c>papyra</c> CLI resolves it from options, a config file and environment variables; hosts build it
/// from their configuration; <see cref="PersistenceBackendProviders.OpenAsync"/> opens it.
/// </summary>
public sealed record PersistenceBackendSettings
{
    private readonly string _backend = "";
    private IReadOnlyDictionary<string, string> _options = EmptyOptions;

    private static readonly IReadOnlyDictionary<string, string> EmptyOptions =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase).AsReadOnly();

    /// <summary>Creates settings for the named backend.</summary>
    /// <param name="backend">The provider's name (<c>json</c>, <c>rotating</c>, <c>memory</c>, <c>redis</c>, or a third party's).</param>
    /// <exception cref="ArgumentException"><paramref name="backend"/> is empty.</exception>
    public PersistenceBackendSettings(string backend)
    {
        Backend = backend;
    }

    /// <summary>
    /// The provider's name, normalised (lower case, <c>-</c> read as <c>_</c>): <c>Fail-Over</c> and
    /// <c>fail_over</c> name the same backend.
    /// </summary>
    public string Backend
    {
        get => _backend;
        init => _backend = NormalizeName(value);
    }

    /// <summary>The store file (<c>json</c>) or the base file of the set (<c>rotating</c>); unused by <c>memory</c> and <c>redis</c>.</summary>
    public string? Path { get; init; }

    /// <summary>
    /// The provider's own settings (for <c>redis</c>: <c>url</c>, <c>system_id</c>, <c>key_prefix</c>,
    /// <c>tls_ca</c>), keys matched case-insensitively. Values may hold secrets: providers never show
    /// them unredacted.
    /// </summary>
    public IReadOnlyDictionary<string, string> Options
    {
        get => _options;
        init => _options = value is null
            ? EmptyOptions
            : new Dictionary<string, string>(value, StringComparer.OrdinalIgnoreCase).AsReadOnly();
    }

    /// <summary>One provider option, or <see langword="null"/> when unset or blank.</summary>
    /// <param name="key">The option's key.</param>
    /// <returns>The value.</returns>
    public string? Option(string key)
        => _options.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null;

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

    /// <summary>Normalises a backend name as operators type it: trimmed, lower case, <c>-</c> read as <c>_</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalised name.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static string NormalizeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return string.IsNullOrWhiteSpace(name)
            ? throw new ArgumentException($"Invalid backend name '{name}': give the name of a backend, like 'json' or 'redis'.", nameof(name))
            : name.Trim().Replace('-', '_').ToLowerInvariant();
    }
}
