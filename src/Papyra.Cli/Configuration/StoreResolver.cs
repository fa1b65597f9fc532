using Papyra.Cli.Errors;
using Papyra.Persistence;
using Papyra.Cli.Stores;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;
using Papyra.Persistence.Redis;

namespace Papyra.Cli.Configuration;

/// <summary>
/// Decides which store a command works on. Sources, first wins for each setting (SPEC §7):
/// <c>--path</c>, then <c>--backend</c>/<c>--redis-url</c>/<c>--redis-tls-ca</c>/<c>--system-id</c>/<c>--key-prefix</c> (and the retention and line-limit options), then the
/// config file (<c>--config</c>, <c>PAPYRA_CONFIG</c> or <c>./papyra.json</c>), then the
/// <c>PAPYRA_*</c> environment variables. <c>--path</c> alone means the json backend.
/// </summary>
internal static class StoreResolver
{
    public static ResolvedStore Resolve(StoreLayer options, string? explicitConfigFile)
        => Resolve(options, explicitConfigFile, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    public static ResolvedStore Resolve(StoreLayer options, string? explicitConfigFile, Func<string, string?> environment, string currentDirectory)
    {
        StoreLayer environmentLayer = EnvironmentStoreLayer.Read(environment);
        string? configFile = ConfigFileStoreLayer.Locate(explicitConfigFile, environment(EnvironmentStoreLayer.Config), currentDirectory);
        StoreLayer fileLayer = configFile is null ? StoreLayer.Empty("config file") : ConfigFileStoreLayer.Read(configFile);
        StoreLayer[] layers = [options, fileLayer, environmentLayer];

        string? path = First(layers, l => l.Path);
        string backend = ResolveBackend(options, fileLayer, environmentLayer, path);
        var settings = new PersistenceBackendSettings(backend)
        {
            Path = path is null ? null : Path.GetFullPath(path, currentDirectory),
            Options = RedisOptions(layers),
            Retention = new RetentionPolicy(
                FirstValue(layers, l => l.MaxRecords),
                FirstValue(layers, l => l.MaxAgeSeconds),
                FirstValue(layers, l => l.MaxTotalBytes)),
            RotatingMaxBytes = FirstValue(layers, l => l.RotatingMaxBytes),
            RotatingMaxFiles = FirstValue(layers, l => l.RotatingMaxFiles),
            MaxLineBytes = FirstValue(layers, l => l.MaxLineBytes),
            MaxNestingDepth = FirstValue(layers, l => l.MaxNestingDepth),
        };
        return new ResolvedStore(settings);
    }

    /// <summary>
    /// The redis provider's options (<see cref="RedisStreamsBackendProvider"/>): only the ones given, so
    /// the provider's defaults apply to the rest; other backends ignore them.
    /// </summary>
    private static Dictionary<string, string> RedisOptions(StoreLayer[] layers)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(RedisStreamsBackendProvider.UrlOption, First(layers, l => l.RedisUrl));
        Add(RedisStreamsBackendProvider.SystemIdOption, First(layers, l => l.RedisSystemId));
        Add(RedisStreamsBackendProvider.KeyPrefixOption, First(layers, l => l.RedisKeyPrefix));
        Add(RedisStreamsBackendProvider.KeyLayoutOption, First(layers, l => l.RedisKeyLayout));
        Add(RedisStreamsBackendProvider.TlsCaOption, First(layers, l => l.RedisTlsCa));

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

    private static string ResolveBackend(StoreLayer options, StoreLayer file, StoreLayer environment, string? path)
    {
        // Every source's backend name is validated, even one a higher source overrides:
        // a broken config file is reported, never silently ignored.
        string? chosen = null;
        foreach (StoreLayer layer in (ReadOnlySpan<StoreLayer>)[options, file, environment])
        {
            if (layer.Backend is { } name)
            {
                string backend = CliBackends.Providers.TryGet(name, out IPersistenceBackendProvider? provider)
                    ? provider.Name
                    : throw new CliUsageException(
                        $"Invalid backend '{name}' from {layer.Origin}: expected one of {string.Join(", ", CliBackends.Providers.Names)}.");
                chosen ??= backend;
            }
        }

        // --path names a JSON file unless --backend says otherwise (e.g. --backend rotating --path base).
        if (options.Backend is null && options.Path is not null)
        {
            return JsonFilePersistenceBackend.BackendName;
        }

        if (chosen is { } resolved)
        {
            return resolved;
        }

        return path is not null
            ? JsonFilePersistenceBackend.BackendName
            : throw new CliUsageException(
                $"No store given: pass --path <FILE> or --backend memory, or set 'path' in {ConfigFileStoreLayer.DefaultFileName} or {EnvironmentStoreLayer.Path}.");
    }

    private static T? First<T>(StoreLayer[] layers, Func<StoreLayer, T?> select)
        where T : class
    {
        foreach (StoreLayer layer in layers)
        {
            if (select(layer) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static T? FirstValue<T>(StoreLayer[] layers, Func<StoreLayer, T?> select)
        where T : struct
    {
        foreach (StoreLayer layer in layers)
        {
            if (select(layer) is { } value)
            {
                return value;
            }
        }

        return null;
    }
}
