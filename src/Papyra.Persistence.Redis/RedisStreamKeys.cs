namespace Papyra.Persistence.Redis;

/// <summary>
/// The Redis keys of one actor system under a key prefix. All records of a system (events,
/// audits and dead letters) share one stream, so retention counts them together exactly as the
/// file backends do; each entry holds one record in one field (<c>msgpack</c> or <c>data</c>).
/// </summary>
/// <remarks>
/// Every key is built here and nowhere else. Layout for prefix <c>papyra</c> and system <c>local</c> in the
/// <see cref="RedisKeyLayout.Legacy"/> layout (the <see cref="RedisKeyLayout.HashTagged"/> layout writes
/// <c>papyra:{local}:…</c>, the system id as a Redis Cluster hash tag, instead of <c>papyra:local:…</c>):
/// <list type="table">
/// <item><term><c>papyra:local:records</c></term><description>the record stream.</description></item>
/// <item><term><c>papyra:local:quarantine</c></term><description>entries recovery or compaction rejected, with their source id and reason.</description></item>
/// <item><term><c>papyra:local:quarantine:&lt;epoch_ms&gt;</c></term><description>a whole stream set aside by quarantine recovery.</description></item>
/// <item><term><c>papyra:local:dlq:&lt;group&gt;</c></term><description>poison entries of a consumer group.</description></item>
/// <item><term><c>papyra:local:metrics</c></term><description>the live metrics hash.</description></item>
/// </list>
/// </remarks>
public sealed record RedisStreamKeys
{
    /// <summary>The suffix of record stream keys (<c>&lt;prefix&gt;:&lt;system&gt;:records</c>).</summary>
    public const string RecordsSuffix = "records";

    /// <summary>Creates the keys of a system in the <see cref="RedisKeyLayout.Legacy"/> layout.</summary>
    /// <param name="keyPrefix">The key prefix.</param>
    /// <param name="systemId">The actor system id.</param>
    /// <exception cref="ArgumentException">The prefix or the system id is invalid.</exception>
    public RedisStreamKeys(string keyPrefix, string systemId)
        : this(keyPrefix, systemId, RedisKeyLayout.Legacy)
    {
    }

    /// <summary>Creates the keys of a system in a layout.</summary>
    /// <param name="keyPrefix">The key prefix.</param>
    /// <param name="systemId">The actor system id.</param>
    /// <param name="layout">The key layout.</param>
    /// <exception cref="ArgumentException">The prefix, the system id or the layout is invalid.</exception>
    public RedisStreamKeys(string keyPrefix, string systemId, RedisKeyLayout layout)
    {
        ValidatePrefix(keyPrefix);
        ValidateSystemId(systemId);
        ValidateLayout(keyPrefix, layout);
        KeyPrefix = keyPrefix;
        SystemId = systemId;
        Layout = layout;
        _root = layout == RedisKeyLayout.HashTagged ? $"{keyPrefix}:{{{systemId}}}" : $"{keyPrefix}:{systemId}";
        string root = _root;
        Records = $"{root}:{RecordsSuffix}";
        Quarantine = $"{root}:quarantine";
        Metrics = $"{root}:metrics";
    }

    private readonly string _root;

    /// <summary>The key prefix.</summary>
    public string KeyPrefix { get; }

    /// <summary>The key layout.</summary>
    public RedisKeyLayout Layout { get; }

    /// <summary>The actor system id.</summary>
    public string SystemId { get; }

    /// <summary>The record stream.</summary>
    public string Records { get; }

    /// <summary>The stream that receives entries rejected by recovery or compaction.</summary>
    public string Quarantine { get; }

    /// <summary>The hash holding the live metrics snapshot of the system's running backend.</summary>
    public string Metrics { get; }

    /// <summary>The stream that receives a consumer group's poison entries.</summary>
    /// <param name="group">The consumer group name.</param>
    /// <returns>The key.</returns>
    public string DeadLetters(string group)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        return $"{_root}:dlq:{group}";
    }

    /// <summary>The key a quarantine recovery renames the record stream to.</summary>
    /// <param name="epochMilliseconds">When the stream was set aside.</param>
    /// <returns>The key.</returns>
    public string QuarantinedStream(long epochMilliseconds) => $"{Quarantine}:{epochMilliseconds}";

    /// <inheritdoc/>
    public override string ToString() => Records;

    internal static void ValidatePrefix(string? keyPrefix)
    {
        if (string.IsNullOrEmpty(keyPrefix) || keyPrefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || keyPrefix.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid Redis key prefix '{keyPrefix}': it must be non-empty, without whitespace, control characters or '*'.", nameof(keyPrefix));
        }
    }

    /// <summary>
    /// Reads the system id and layout out of a record stream key under <paramref name="keyPrefix"/>
    /// (<c>prefix:system:records</c> or <c>prefix:{system}:records</c>).
    /// </summary>
    internal static bool TryParseRecords(string key, string keyPrefix, out string systemId, out RedisKeyLayout layout)
    {
        systemId = string.Empty;
        layout = RedisKeyLayout.Legacy;
        string head = keyPrefix + ":";
        string tail = ":" + RecordsSuffix;
        if (key.Length <= head.Length + tail.Length || !key.StartsWith(head, StringComparison.Ordinal) || !key.EndsWith(tail, StringComparison.Ordinal))
        {
            return false;
        }

        string middle = key[head.Length..^tail.Length];
        if (middle.Length > 2 && middle[0] == '{' && middle[^1] == '}')
        {
            middle = middle[1..^1];
            layout = RedisKeyLayout.HashTagged;
        }

        if (middle.Length == 0 || middle.IndexOfAny([':', '{', '}']) >= 0)
        {
            return false;
        }

        systemId = middle;
        return true;
    }

    internal static void ValidateLayout(string keyPrefix, RedisKeyLayout layout)
    {
        if (!Enum.IsDefined(layout))
        {
            throw new ArgumentException($"Invalid Redis key layout {layout}: expected Legacy or HashTagged.", nameof(layout));
        }

        if (layout == RedisKeyLayout.HashTagged && keyPrefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException($"Invalid Redis key prefix '{keyPrefix}' for the HashTagged layout: it may not contain '{{' or '}}' (the system id is the hash tag).", nameof(keyPrefix));
        }
    }

    internal static void ValidateSystemId(string? systemId)
    {
        ArgumentNullException.ThrowIfNull(systemId);
        if (!ActorAddress.TryParse($"{systemId}:1", out _) || systemId.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid actor system id '{systemId}': it must be 1 to {ActorAddress.MaxSystemIdLength} characters from A-Z a-z 0-9 - _ .", nameof(systemId));
        }
    }
}
