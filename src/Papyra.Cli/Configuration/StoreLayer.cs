namespace Papyra.Cli.Configuration;

/// <summary>
/// The store settings one source gives (command-line options, the config file or the environment);
/// <see langword="null"/> means the source says nothing and the next source decides.
/// Values are already validated; <see cref="Origin"/> names where they came from.
/// </summary>
internal sealed record StoreLayer(string Origin)
{
    public string? Backend { get; init; }

    public string? Path { get; init; }

    public string? RedisUrl { get; init; }

    public string? RedisSystemId { get; init; }

    public string? RedisKeyPrefix { get; init; }

    public string? RedisKeyLayout { get; init; }

    public string? RedisTlsCa { get; init; }

    public long? MaxRecords { get; init; }

    public double? MaxAgeSeconds { get; init; }

    public long? MaxTotalBytes { get; init; }

    public long? RotatingMaxBytes { get; init; }

    public int? RotatingMaxFiles { get; init; }

    public int? MaxLineBytes { get; init; }

    public int? MaxNestingDepth { get; init; }

    public static StoreLayer Empty(string origin) => new(origin);
}
