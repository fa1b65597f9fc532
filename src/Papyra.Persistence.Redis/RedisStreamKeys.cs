namespace Papyra.Persistence.Redis;

/// <summary>
/// The Redis keys of one actor system under a key prefix. All records of a system (events,
/// audits and dead letters) share one stream, so retention counts them together exactly as the
/// file backends do; each entry holds one record in one field (<c>msgpack</c> or <c>data</c>).
/// </summary>
/// <remarks>
/// Layout for prefix <c>papyra</c> and system <c>local</c>:
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

    /// <summary>Creates the keys of a system.</summary>
    /// <param name="keyPrefix">The key prefix.</param>
    /// <param name="systemId">The actor system id.</param>
    /// <exception cref="ArgumentException">The prefix or the system id is invalid.</exception>
    public RedisStreamKeys(string keyPrefix, string systemId)
    {
        ValidatePrefix(keyPrefix);
        ValidateSystemId(systemId);
        KeyPrefix = keyPrefix;
        SystemId = systemId;
        string root = $"{keyPrefix}:{systemId}";
        Records = $"{root}:{RecordsSuffix}";
        Quarantine = $"{root}:quarantine";
        Metrics = $"{root}:metrics";
    }

    /// <summary>The key prefix.</summary>
    public string KeyPrefix { get; }

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
        return $"{KeyPrefix}:{SystemId}:dlq:{group}";
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

    internal static void ValidateSystemId(string? systemId)
    {
        ArgumentNullException.ThrowIfNull(systemId);
        if (!ActorAddress.TryParse($"{systemId}:1", out _) || systemId.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid actor system id '{systemId}': it must be 1 to {ActorAddress.MaxSystemIdLength} characters from A-Z a-z 0-9 - _ .", nameof(systemId));
        }
    }
}
