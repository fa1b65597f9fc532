using Papyra.Cli.Errors;
using Papyra.Cli.Stores;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;
using Papyra.Persistence.Redis;

namespace Papyra.Cli.Configuration;

/// <summary>
/// Decides which store a command works on, from <see cref="StoreConfiguration"/>: for each setting the
/// command-line option wins over the config file (<c>--config</c>, <c>PAPYRA_CONFIG</c> or <c>./papyra.json</c>),
/// which wins over the <c>PAPYRA_*</c> environment variables (SPEC §7). <c>--path</c> alone means the json backend.
/// </summary>
internal static class StoreResolver
{
    public const string DefaultConfigFileName = "papyra.json";

    public static ResolvedStore Resolve(IReadOnlyDictionary<string, string?> options, string? explicitConfigFile)
        => Resolve(options, explicitConfigFile, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    public static ResolvedStore Resolve(IReadOnlyDictionary<string, string?> options, string? explicitConfigFile, Func<string, string?> environment, string currentDirectory)
    {
        StoreConfiguration configuration = StoreConfiguration.Load(options, explicitConfigFile, environment, currentDirectory);
        string? path = configuration.FilePath(SettingKeys.Path);
        string backend = ResolveBackend(configuration, path);
        var settings = new PersistenceBackendSettings(backend)
        {
            Path = path,
            Options = RedisOptions(configuration),
            Retention = new RetentionPolicy(
                configuration.Integer(SettingKeys.MaxRecords),
                configuration.Seconds(SettingKeys.MaxAgeSeconds),
                configuration.Integer(SettingKeys.MaxTotalBytes)),
            RotatingMaxBytes = configuration.Integer(SettingKeys.RotatingMaxBytes),
            RotatingMaxFiles = (int?)configuration.Integer(SettingKeys.RotatingMaxFiles),
            MaxLineBytes = (int?)configuration.Integer(SettingKeys.MaxLineBytes),
            MaxNestingDepth = (int?)configuration.Integer(SettingKeys.MaxNestingDepth),
        };
        return new ResolvedStore(settings);
    }

    /// <summary>
    /// The redis provider's options (<see cref="RedisStreamsBackendProvider"/>): only the ones given, so
    /// the provider's defaults apply to the rest; other backends ignore them.
    /// </summary>
    private static Dictionary<string, string> RedisOptions(StoreConfiguration configuration)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(RedisStreamsBackendProvider.UrlOption, configuration.Text(SettingKeys.RedisUrl));
        Add(RedisStreamsBackendProvider.SystemIdOption, configuration.Text(SettingKeys.RedisSystemId));
        Add(RedisStreamsBackendProvider.KeyPrefixOption, configuration.Text(SettingKeys.RedisKeyPrefix));
        Add(RedisStreamsBackendProvider.KeyLayoutOption, configuration.Text(SettingKeys.RedisKeyLayout));
        Add(RedisStreamsBackendProvider.TlsCaOption, configuration.FilePath(SettingKeys.RedisTlsCa));

        // An operator's scan checks every entry, not the newest sample a running system checks.
        options[RedisStreamsBackendProvider.ScanSampleSizeOption] = "0";
        return options;

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                options[key] = value;
            }
        }
    }

    private static string ResolveBackend(StoreConfiguration configuration, string? path)
    {
        // Every source's backend name is checked, even one a higher source overrides.
        string? chosen = configuration.Resolve(SettingKeys.Backend, static (name, source, _) =>
            CliBackends.Providers.TryGet(name, out IPersistenceBackendProvider? provider)
                ? provider.Name
                : throw new CliUsageException(
                    $"Invalid backend '{name}' from {source.Origin}: expected one of {string.Join(", ", CliBackends.Providers.Names)}."));

        // --path names a JSON file unless --backend says otherwise (e.g. --backend rotating --path base).
        if (configuration.Options.Get(SettingKeys.Backend) is null && configuration.Options.Get(SettingKeys.Path) is not null)
        {
            return JsonFilePersistenceBackend.BackendName;
        }

        if (chosen is not null)
        {
            return chosen;
        }

        return path is not null
            ? JsonFilePersistenceBackend.BackendName
            : throw new CliUsageException(
                $"No store given: pass --path <FILE> or --backend memory, or set 'path' in {DefaultConfigFileName} or {SettingKeys.Path.EnvironmentVariable}.");
    }
}
