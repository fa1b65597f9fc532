using System.ComponentModel;
using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands;

/// <summary>The options every command takes: which store, the config file and the output format.</summary>
internal class StoreSettings : CommandSettings
{
    [CommandOption("--path <FILE>")]
    [Description("The store file (JSON lines). Alone it selects the json backend; with --backend rotating it is the base file of the set.")]
    public string? Path { get; set; }

    [CommandOption("--backend <BACKEND>")]
    [Description("The backend: json, rotating, redis or memory (case-insensitive).")]
    public string? Backend { get; set; }

    [CommandOption("--redis-url <URL>")]
    [Description("The Redis connection URL for --backend redis; its password is never printed.")]
    public string? RedisUrl { get; set; }

    [CommandOption("--redis-tls-ca <FILE>")]
    [Description("For a rediss:// URL: the certificate (PEM or DER) of a private CA that signed the server's certificate (config: redis.tls_ca, env: PAPYRA_REDIS_TLS_CA).")]
    public string? RedisTlsCa { get; set; }

    [CommandOption("--system-id <ID>")]
    [Description("For --backend redis: the system whose streams are read (config: redis.system_id, env: PAPYRA_REDIS_SYSTEM_ID). Default: local.")]
    public string? SystemId { get; set; }

    [CommandOption("--key-prefix <PREFIX>")]
    [Description("For --backend redis: the prefix of every Papyra key (config: redis.key_prefix, env: PAPYRA_REDIS_KEY_PREFIX). Default: papyra.")]
    public string? KeyPrefix { get; set; }

    [CommandOption("--redis-key-layout <LAYOUT>")]
    [Description("For --backend redis: legacy (prefix:system:records) or hash_tagged (prefix:{system}:records, required on a Redis Cluster) (config: redis.key_layout, env: PAPYRA_REDIS_KEY_LAYOUT). Default: legacy.")]
    public string? RedisKeyLayout { get; set; }

    [CommandOption("--max-line-bytes <BYTES>")]
    [Description("For the json and rotating backends: the longest line read as a record, in bytes, 1024 or more (config: max_line_bytes, env: PAPYRA_MAX_LINE_BYTES). Longer lines are CorruptedLine. Default: 67108864 (64 MiB).")]
    public string? MaxLineBytes { get; set; }

    [CommandOption("--max-nesting-depth <N>")]
    [Description("For the json and rotating backends: the deepest JSON nesting read as a record, from 64 to 1000000 (config: max_nesting_depth, env: PAPYRA_MAX_NESTING_DEPTH). Deeper lines are CorruptedLine. Default: 1000.")]
    public string? MaxNestingDepth { get; set; }

    [CommandOption("--config <FILE>")]
    [Description("The config file to read instead of ./papyra.json (also PAPYRA_CONFIG).")]
    public string? ConfigFile { get; set; }

    [CommandOption("--json")]
    [Description("Print the result as JSON (stable shape) instead of tables.")]
    public bool Json { get; set; }

    [CommandOption("--verbose")]
    [Description("Show the full error detail (stack trace) when something fails.")]
    public bool Verbose { get; set; }

    /// <summary>
    /// What the command-line options say about the store, as configuration keyed by <see cref="SettingKey.Path"/>
    /// (the highest source of <see cref="StoreConfiguration"/>); options not given are left out.
    /// </summary>
    public virtual Dictionary<string, string?> ToOptions()
    {
        Dictionary<string, string?> options = new(StringComparer.OrdinalIgnoreCase);
        Add(options, SettingKeys.Backend, Backend is not null && string.IsNullOrWhiteSpace(Backend)
            ? throw new CliUsageException($"The --backend value is empty: expected one of {string.Join(", ", Stores.CliBackends.Providers.Names)}.")
            : Backend);
        Add(options, SettingKeys.Path, NotEmpty("--path", Path));
        Add(options, SettingKeys.RedisUrl, RedisUrl);
        Add(options, SettingKeys.RedisSystemId, SystemId);
        Add(options, SettingKeys.RedisKeyPrefix, KeyPrefix);
        Add(options, SettingKeys.RedisKeyLayout, RedisKeyLayout);
        Add(options, SettingKeys.RedisTlsCa, RedisTlsCa);
        Add(options, SettingKeys.MaxLineBytes, MaxLineBytes);
        Add(options, SettingKeys.MaxNestingDepth, MaxNestingDepth);
        return options;
    }

    /// <summary>Resolves the store from the options, the config file and the environment.</summary>
    public ResolvedStore ResolveStore()
    {
        ResolvedStore store = StoreResolver.Resolve(ToOptions(), NotEmpty("--config", ConfigFile));

        // The CLI inspects another process's store: it must never replace that process's live metrics.
        return store with { Settings = store.Settings with { PublishMetrics = false } };
    }

    protected static void Add(Dictionary<string, string?> options, SettingKey key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            options[key.Path] = value;
        }
    }

    // An empty file name would resolve to the working directory: say what is wrong instead of
    // reporting "is a directory" (exit 74) about a path the operator never named.
    private static string? NotEmpty(string option, string? value)
        => value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new CliUsageException($"The {option} value is empty; give a file name.")
            : value;
}
