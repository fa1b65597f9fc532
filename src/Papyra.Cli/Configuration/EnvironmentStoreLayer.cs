namespace Papyra.Cli.Configuration;

/// <summary>Reads the <c>PAPYRA_*</c> environment variables, the last source in the resolution order.</summary>
internal static class EnvironmentStoreLayer
{
    public const string Config = "PAPYRA_CONFIG";
    public const string Backend = "PAPYRA_BACKEND";
    public const string Path = "PAPYRA_PATH";
    public const string RedisUrl = "PAPYRA_REDIS_URL";
    public const string RedisSystemId = "PAPYRA_REDIS_SYSTEM_ID";
    public const string RedisKeyPrefix = "PAPYRA_REDIS_KEY_PREFIX";
    public const string RedisKeyLayout = "PAPYRA_REDIS_KEY_LAYOUT";
    public const string RedisTlsCa = "PAPYRA_REDIS_TLS_CA";
    public const string MaxRecords = "PAPYRA_RETENTION_MAX_RECORDS";
    public const string MaxAgeSeconds = "PAPYRA_RETENTION_MAX_AGE_SECONDS";
    public const string MaxTotalBytes = "PAPYRA_RETENTION_MAX_TOTAL_BYTES";
    public const string RotatingMaxBytes = "PAPYRA_ROTATING_MAX_BYTES";
    public const string RotatingMaxFiles = "PAPYRA_ROTATING_MAX_FILES";
    public const string MaxLineBytes = "PAPYRA_MAX_LINE_BYTES";
    public const string MaxNestingDepth = "PAPYRA_MAX_NESTING_DEPTH";

    /// <summary>Every variable the CLI reads, for the approved surface.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Config, Backend, Path, RedisUrl, RedisSystemId, RedisKeyPrefix, RedisKeyLayout, RedisTlsCa, MaxRecords, MaxAgeSeconds, MaxTotalBytes, RotatingMaxBytes, RotatingMaxFiles, MaxLineBytes, MaxNestingDepth];

    public static StoreLayer Read(Func<string, string?> variable) => new("environment")
    {
        Backend = NonEmpty(variable(Backend)),
        Path = NonEmpty(variable(Path)),
        RedisUrl = NonEmpty(variable(RedisUrl)),
        RedisSystemId = NonEmpty(variable(RedisSystemId)),
        RedisKeyPrefix = NonEmpty(variable(RedisKeyPrefix)),
        RedisKeyLayout = NonEmpty(variable(RedisKeyLayout)),
        RedisTlsCa = NonEmpty(variable(RedisTlsCa)),
        MaxRecords = SettingValues.ParsePositiveInteger(MaxRecords, variable(MaxRecords)),
        MaxAgeSeconds = SettingValues.ParsePositiveNumber(MaxAgeSeconds, variable(MaxAgeSeconds)),
        MaxTotalBytes = SettingValues.ParsePositiveInteger(MaxTotalBytes, variable(MaxTotalBytes)),
        RotatingMaxBytes = SettingValues.ParsePositiveInteger(RotatingMaxBytes, variable(RotatingMaxBytes)),
        RotatingMaxFiles = (int?)SettingValues.ParsePositiveInteger(RotatingMaxFiles, variable(RotatingMaxFiles)),
        MaxLineBytes = LineLimitValues.ParseLineBytes(MaxLineBytes, variable(MaxLineBytes)),
        MaxNestingDepth = LineLimitValues.ParseNestingDepth(MaxNestingDepth, variable(MaxNestingDepth)),
    };

    public static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
