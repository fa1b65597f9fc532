namespace Papyra.Cli.Configuration;

/// <summary>
/// The one list of store settings. The config file accepts exactly these keys, the environment provides exactly
/// these variables, the unknown-key error and the approved surface (<c>api/cli.txt</c>) print them, and the
/// command-line options map onto them: adding a setting here adds it everywhere.
/// </summary>
internal static class SettingKeys
{
    /// <summary>The variable that names the config file (not a setting of the store itself).</summary>
    public const string ConfigVariable = "PAPYRA_CONFIG";

    public static readonly SettingKey Backend = new("backend", SettingKind.Text, "--backend");
    public static readonly SettingKey Path = new("path", SettingKind.FilePath, "--path");
    public static readonly SettingKey RedisUrl = new("redis_url", SettingKind.Text, "--redis-url");
    public static readonly SettingKey MaxLineBytes = new("max_line_bytes", SettingKind.LineBytes, "--max-line-bytes");
    public static readonly SettingKey MaxNestingDepth = new("max_nesting_depth", SettingKind.NestingDepth, "--max-nesting-depth");
    public static readonly SettingKey MaxRecords = new("retention.max_records", SettingKind.RetentionLimit, "--max-records");
    public static readonly SettingKey MaxAgeSeconds = new("retention.max_age_seconds", SettingKind.RetentionAge, "--max-age-seconds");
    public static readonly SettingKey MaxTotalBytes = new("retention.max_total_bytes", SettingKind.RetentionLimit, "--max-total-bytes");
    public static readonly SettingKey RotatingMaxBytes = new("rotating.max_bytes", SettingKind.PositiveInteger, null);
    public static readonly SettingKey RotatingMaxFiles = new("rotating.max_files", SettingKind.PositiveInteger, null);
    public static readonly SettingKey RedisSystemId = new("redis.system_id", SettingKind.Text, "--system-id");
    public static readonly SettingKey RedisKeyPrefix = new("redis.key_prefix", SettingKind.Text, "--key-prefix");
    public static readonly SettingKey RedisKeyLayout = new("redis.key_layout", SettingKind.Text, "--redis-key-layout");
    public static readonly SettingKey RedisTlsCa = new("redis.tls_ca", SettingKind.FilePath, "--redis-tls-ca");

    /// <summary>Every setting, in the order the surface and the unknown-key error list them.</summary>
    public static IReadOnlyList<SettingKey> All { get; } =
    [
        Backend, Path, RedisUrl, MaxLineBytes, MaxNestingDepth, MaxRecords, MaxAgeSeconds, MaxTotalBytes,
        RotatingMaxBytes, RotatingMaxFiles, RedisSystemId, RedisKeyPrefix, RedisKeyLayout, RedisTlsCa,
    ];

    /// <summary>Every config file key, for the unknown-key error and the approved surface.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(k => k.Name)];

    /// <summary>Every environment variable the CLI reads, for the approved surface.</summary>
    public static IReadOnlyList<string> EnvironmentVariables { get; } = [ConfigVariable, .. All.Select(k => k.EnvironmentVariable)];
}
