using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Papyra.Cli.Errors;
using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Cli.Configuration;

/// <summary>
/// The store settings from their three sources through <c>Microsoft.Extensions.Configuration</c>, in SPEC §7's
/// order (the last provider added wins): the <c>PAPYRA_*</c> environment variables, then the config file
/// (<c>--config</c>, <c>PAPYRA_CONFIG</c> or <c>./papyra.json</c>), then the command-line options. Every source's
/// value is checked, even one a higher source overrides, so a broken config file is reported, never silently
/// ignored; an error names the option, key or variable and the value.
/// </summary>
internal sealed class StoreConfiguration
{
    private readonly SettingSource[] _sources;

    private StoreConfiguration(SettingSource[] sources) => _sources = sources;

    /// <summary>The command-line options as a source.</summary>
    public SettingSource Options => _sources[^1];

    /// <summary>Reads the three sources.</summary>
    /// <param name="options">The command-line options that were given, by <see cref="SettingKey.Path"/>.</param>
    /// <param name="explicitConfigFile">The <c>--config</c> file, if given.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="currentDirectory">What relative file names on the command line and in the environment are relative to.</param>
    public static StoreConfiguration Load(IReadOnlyDictionary<string, string?> options, string? explicitConfigFile, Func<string, string?> environment, string currentDirectory)
    {
        string? configFile = ConfigFile.Locate(explicitConfigFile, environment(SettingKeys.ConfigVariable), currentDirectory);
        var builder = new ConfigurationBuilder();
        builder.Add(new EnvironmentSettingsSource(environment));
        if (configFile is not null)
        {
            ConfigFile.AddTo(builder, configFile);
        }

        builder.Add(new MemoryConfigurationSource { InitialData = options });
        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception exception) when (configFile is not null && exception is FormatException or JsonException)
        {
            throw ConfigFile.Unreadable(configFile, exception);
        }

        IConfigurationProvider[] providers = [.. root.Providers];
        var sources = new List<SettingSource> { new SettingSource.Environment(providers[0], currentDirectory) };
        if (configFile is not null)
        {
            var file = new SettingSource.File(providers[1], configFile);
            ConfigFile.RejectUnknownKeys(file);
            sources.Add(file);
        }

        sources.Add(new SettingSource.Options(providers[^1], currentDirectory));
        return new StoreConfiguration([.. sources]);
    }

    /// <summary>Text: the value of the highest source that gives one.</summary>
    public string? Text(SettingKey key) => Resolve(key, static (value, _, _) => value);

    /// <summary>A file name, absolute (relative to the config file's directory when it came from there).</summary>
    public string? FilePath(SettingKey key) => Resolve(key, static (value, source, _) => System.IO.Path.GetFullPath(value, source.Directory));

    /// <summary>A number setting checked by its <see cref="SettingKind"/>.</summary>
    public long? Integer(SettingKey key)
    {
        long found = 0;
        bool any = false;
        foreach (SettingSource source in _sources)
        {
            if (source.Get(key) is { } text)
            {
                found = CheckInteger(key, source.Describe(key), text);
                any = true;
            }
        }

        return any ? found : null;
    }

    /// <summary>A retention age, in seconds.</summary>
    public double? Seconds(SettingKey key)
    {
        double found = 0;
        bool any = false;
        foreach (SettingSource source in _sources)
        {
            if (source.Get(key) is { } text)
            {
                string setting = source.Describe(key);
                if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out found))
                {
                    throw new CliUsageException($"Invalid {setting} value '{text}': expected a number.");
                }

                if (!RetentionPolicy.IsValidAge(found))
                {
                    throw NotPositive(setting, found.ToString(CultureInfo.InvariantCulture));
                }

                any = true;
            }
        }

        return any ? found : null;
    }

    /// <summary>
    /// Every source's value of <paramref name="key"/>, each converted (and so checked) by <paramref name="convert"/>;
    /// the highest source's wins.
    /// </summary>
    public T? Resolve<T>(SettingKey key, Func<string, SettingSource, SettingKey, T> convert)
        where T : class
    {
        T? found = null;
        foreach (SettingSource source in _sources)
        {
            if (source.Get(key) is { } text)
            {
                found = convert(text, source, key);
            }
        }

        return found;
    }

    private static long CheckInteger(SettingKey key, string setting, string text)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new CliUsageException($"Invalid {setting} value '{text}': expected a whole number.");
        }

        (long minimum, long maximum) = key.Kind switch
        {
            SettingKind.LineBytes => (JsonFilePersistenceOptions.MinimumMaxLineBytes, int.MaxValue),
            SettingKind.NestingDepth => (JsonFilePersistenceOptions.MinimumMaxNestingDepth, JsonFilePersistenceOptions.MaximumMaxNestingDepth),
            SettingKind.PositiveInteger when key == SettingKeys.RotatingMaxFiles => (1, int.MaxValue),
            _ => (1, long.MaxValue),
        };
        bool valid = key.Kind == SettingKind.RetentionLimit ? RetentionPolicy.IsValidLimit(value) : value >= minimum && value <= maximum;
        if (valid)
        {
            return value;
        }

        string shown = value.ToString(CultureInfo.InvariantCulture);
        throw minimum == 1 && value < 1
            ? NotPositive(setting, shown)
            : new CliUsageException(
                $"Invalid {setting} value {shown}: it must be from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}.");
    }

    private static CliUsageException NotPositive(string setting, string value)
        => new($"Invalid {setting} value {value}: it must be greater than 0 (leave it out for no limit).");

    /// <summary>The <c>PAPYRA_*</c> variables of <see cref="SettingKeys"/> as configuration; blank ones say nothing.</summary>
    private sealed class EnvironmentSettingsSource(Func<string, string?> variable) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(variable);

        // The variables are named by SPEC §7 (PAPYRA_RETENTION_MAX_RECORDS), not by the provider's
        // "__" convention, so each is looked up under the name the key table derives for it.
        private sealed class Provider(Func<string, string?> variable) : ConfigurationProvider
        {
            public override void Load()
            {
                foreach (SettingKey key in SettingKeys.All)
                {
                    if (variable(key.EnvironmentVariable) is { } value && !string.IsNullOrWhiteSpace(value))
                    {
                        Data[key.Path] = value;
                    }
                }
            }
        }
    }

    /// <summary>Finding, opening and checking the config file.</summary>
    private static class ConfigFile
    {
        public static string? Locate(string? explicitFile, string? environmentFile, string currentDirectory)
        {
            (string? file, string origin) = explicitFile is not null
                ? (explicitFile, "--config")
                : (string.IsNullOrWhiteSpace(environmentFile) ? null : environmentFile, SettingKeys.ConfigVariable);
            if (file is not null)
            {
                string full = System.IO.Path.GetFullPath(file, currentDirectory);
                if (Directory.Exists(full))
                {
                    throw new CliUsageException($"The config file '{full}' given by {origin} is a directory.");
                }

                if (!File.Exists(full))
                {
                    throw new CliUsageException($"The config file '{full}' given by {origin} does not exist.");
                }

                return full;
            }

            string implicitFile = System.IO.Path.Combine(currentDirectory, StoreResolver.DefaultConfigFileName);
            return File.Exists(implicitFile) ? implicitFile : null;
        }

        // Read whole: the provider parses it once, when the configuration is built. A method of its own so that
        // a command without a config file (the common case) never loads the JSON provider's assembly.
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void AddTo(IConfigurationBuilder builder, string file)
            => builder.Add(new JsonStreamConfigurationSource { Stream = new MemoryStream(File.ReadAllBytes(file), writable: false) });

        public static CliUsageException Unreadable(string file, Exception exception)
        {
            // The stream provider lets the reader's exception out; the file provider wraps it in a FormatException.
            if ((exception as JsonException ?? exception.InnerException as JsonException) is { LineNumber: { } line } json)
            {
                // The parser's own message ends with its internals ("LineNumber: 0 | BytePositionInLine: 2");
                // the position is what an operator needs, 1-based like an editor shows it.
                return new CliUsageException($"The config file '{file}' is not valid JSON (line {line + 1}, column {(json.BytePositionInLine ?? 0) + 1}).", exception);
            }

            // Valid JSON the provider refuses: a root that is not an object, or a key given twice.
            return new CliUsageException($"The config file '{file}' must hold a JSON object with each key once ({exception.Message.TrimEnd('.')}).", exception);
        }

        /// <summary>Refuses a key the table does not know, so that a typo is never silently ignored.</summary>
        public static void RejectUnknownKeys(SettingSource.File file)
        {
            foreach (string path in Paths(file.Provider, null))
            {
                string name = path.Replace(':', '.');
                bool hasChildren = file.Provider.GetChildKeys([], path).Any();
                if (SettingKeys.All.Any(k => string.Equals(k.Path, path, StringComparison.OrdinalIgnoreCase)))
                {
                    if (hasChildren)
                    {
                        throw new CliUsageException($"The key '{name}' in '{file.FileName}' must be a single value, not an object or an array.");
                    }
                }
                else if (SettingKeys.All.Any(k => k.Path.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)))
                {
                    if (!hasChildren && file.Provider.TryGet(path, out string? value) && !string.IsNullOrEmpty(value))
                    {
                        throw new CliUsageException($"The key '{name}' in '{file.FileName}' must be an object, not '{value}'.");
                    }
                }
                else
                {
                    throw new CliUsageException($"Unknown key '{name}' in config file '{file.FileName}'; known keys: {string.Join(", ", SettingKeys.Names)}.");
                }
            }
        }

        private static IEnumerable<string> Paths(IConfigurationProvider provider, string? parent)
        {
            foreach (string child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                string path = parent is null ? child : $"{parent}:{child}";
                yield return path;
                if (SettingKeys.All.All(k => !string.Equals(k.Path, path, StringComparison.OrdinalIgnoreCase)))
                {
                    foreach (string below in Paths(provider, path))
                    {
                        yield return below;
                    }
                }
            }
        }
    }
}
