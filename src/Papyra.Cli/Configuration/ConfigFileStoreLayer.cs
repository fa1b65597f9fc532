using System.Text.Json;
using Papyra.Cli.Errors;

namespace Papyra.Cli.Configuration;

/// <summary>
/// Reads a <c>papyra.json</c> config file:
/// <code>
/// { "backend": "json", "path": "events.ndjson", "redis_url": null,
///   "max_line_bytes": 67108864, "max_nesting_depth": 1000,
///   "retention": { "max_records": 1000, "max_age_seconds": 86400, "max_total_bytes": 1048576 },
///   "rotating": { "max_bytes": 1048576, "max_files": 5 },
///   "redis": { "system_id": "local", "key_prefix": "papyra", "tls_ca": "ca.pem" } }
/// </code>
/// Every key is optional and <see langword="null"/> means "not set"; unknown keys and empty strings
/// are rejected so a typo or a blank template value is never silently ignored. A relative
/// <c>path</c> or <c>redis.tls_ca</c> is relative to the config file's directory.
/// </summary>
internal static class ConfigFileStoreLayer
{
    public const string DefaultFileName = "papyra.json";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 16,
    };

    // The one list of keys: the parser looks keys up here, and the unknown-key error and the
    // approved surface (api/cli.txt) print it, so the three can never disagree again.
    // A dotted name is a key inside a section object ("retention": { "max_records": … }).
    private static readonly ConfigKey[] Table =
    [
        new("backend", (layer, value) => layer with { Backend = value.String() }),
        new("path", (layer, value) => layer with { Path = value.FilePath() }),
        new("redis_url", (layer, value) => layer with { RedisUrl = value.String() }),
        new("max_line_bytes", (layer, value) => layer with { MaxLineBytes = LineLimitValues.LineBytes(value.Setting, value.Integer()) }),
        new("max_nesting_depth", (layer, value) => layer with { MaxNestingDepth = LineLimitValues.NestingDepth(value.Setting, value.Integer()) }),
        new("retention.max_records", (layer, value) => layer with { MaxRecords = SettingValues.PositiveInteger(value.Setting, value.Integer()) }),
        new("retention.max_age_seconds", (layer, value) => layer with { MaxAgeSeconds = SettingValues.PositiveNumber(value.Setting, value.Number()) }),
        new("retention.max_total_bytes", (layer, value) => layer with { MaxTotalBytes = SettingValues.PositiveInteger(value.Setting, value.Integer()) }),
        new("rotating.max_bytes", (layer, value) => layer with { RotatingMaxBytes = SettingValues.PositiveInteger(value.Setting, value.Integer()) }),
        new("rotating.max_files", (layer, value) => layer with { RotatingMaxFiles = checked((int?)SettingValues.PositiveInteger(value.Setting, value.Integer())) }),
        new("redis.system_id", (layer, value) => layer with { RedisSystemId = value.String() }),
        new("redis.key_prefix", (layer, value) => layer with { RedisKeyPrefix = value.String() }),
        new("redis.key_layout", (layer, value) => layer with { RedisKeyLayout = value.String() }),
        new("redis.tls_ca", (layer, value) => layer with { RedisTlsCa = value.FilePath() }),
    ];

    private static readonly Dictionary<string, ConfigKey> ByName = Table.ToDictionary(k => k.Name, StringComparer.Ordinal);

    private static readonly HashSet<string> Sections = [.. Table.Where(k => k.Name.Contains('.', StringComparison.Ordinal)).Select(k => k.Name.Split('.', 2)[0])];

    /// <summary>Every key the file may hold, in the order the parser documents them, for errors and the approved surface.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Table.Select(k => k.Name)];

    /// <summary>
    /// Finds the config file: the explicit one (option, then <c>PAPYRA_CONFIG</c>), which must
    /// exist, else <c>papyra.json</c> in the current directory when present.
    /// </summary>
    public static string? Locate(string? explicitFile, string? environmentFile, string currentDirectory)
    {
        (string? file, string origin) = explicitFile is not null
            ? (explicitFile, "--config")
            : (EnvironmentStoreLayer.NonEmpty(environmentFile), EnvironmentStoreLayer.Config);
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

        string implicitFile = System.IO.Path.Combine(currentDirectory, DefaultFileName);
        return File.Exists(implicitFile) ? implicitFile : null;
    }

    public static StoreLayer Read(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException exception)
        {
            // The parser's own message ends with its internals ("LineNumber: 0 | BytePositionInLine: 2");
            // the position is what an operator needs, 1-based like an editor shows it.
            string position = exception.LineNumber is { } line
                ? $" (line {line + 1}, column {(exception.BytePositionInLine ?? 0) + 1})"
                : string.Empty;
            throw new CliUsageException($"The config file '{file}' is not valid JSON{position}.", exception);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CliUsageException($"The config file '{file}' must hold a JSON object, not {Describe(root.ValueKind)}.");
            }

            string directory = System.IO.Path.GetDirectoryName(file) ?? Directory.GetCurrentDirectory();
            var layer = new StoreLayer($"config file '{file}'");
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (ByName.TryGetValue(property.Name, out ConfigKey? key))
                {
                    layer = key.Apply(layer, new ConfigValue(file, directory, key.Name, property.Value));
                }
                else if (Sections.Contains(property.Name))
                {
                    layer = ReadSection(file, directory, property, layer);
                }
                else
                {
                    throw UnknownKey(file, property.Name);
                }
            }

            return layer;
        }
    }

    private static StoreLayer ReadSection(string file, string directory, JsonProperty section, StoreLayer layer)
    {
        switch (section.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return layer;
            case JsonValueKind.Object:
                break;
            default:
                throw new CliUsageException($"The key '{section.Name}' in '{file}' must be an object, not {Describe(section.Value.ValueKind)}.");
        }

        foreach (JsonProperty property in section.Value.EnumerateObject())
        {
            string name = $"{section.Name}.{property.Name}";
            layer = ByName.TryGetValue(name, out ConfigKey? key)
                ? key.Apply(layer, new ConfigValue(file, directory, name, property.Value))
                : throw UnknownKey(file, name);
        }

        return layer;
    }

    private static CliUsageException UnknownKey(string file, string key)
        => new($"Unknown key '{key}' in config file '{file}'; known keys: {string.Join(", ", Keys)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    /// <summary>A key the file may hold and how its value goes into the layer.</summary>
    private sealed record ConfigKey(string Name, Func<StoreLayer, ConfigValue, StoreLayer> Apply);

    /// <summary>One key's value in one file, read as the type the key needs; a wrong type is a usage error naming the key.</summary>
    private readonly record struct ConfigValue(string File, string Directory, string Key, JsonElement Value)
    {
        /// <summary>How errors name the setting: the key and the file.</summary>
        public string Setting => $"'{Key}' in '{File}'";

        public string? String() => Value.ValueKind switch
        {
            JsonValueKind.String when string.IsNullOrWhiteSpace(Value.GetString())
                => throw new CliUsageException($"The key '{Key}' in '{File}' is an empty string; give a value, or null to leave it unset."),
            JsonValueKind.String => Value.GetString(),
            JsonValueKind.Null => null,
            _ => throw new CliUsageException($"The key '{Key}' in '{File}' must be a string, not {Describe(Value.ValueKind)}."),
        };

        /// <summary>A file name, made absolute against the config file's directory.</summary>
        public string? FilePath() => String() is { } path ? System.IO.Path.GetFullPath(path, Directory) : null;

        public long? Integer() => Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when Value.TryGetInt64(out long number) => number,
            _ => throw new CliUsageException($"The key '{Key}' in '{File}' must be a whole number or null, not {Value.GetRawText()}."),
        };

        public double? Number() => Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number => Value.GetDouble(),
            _ => throw new CliUsageException($"The key '{Key}' in '{File}' must be a number or null, not {Value.GetRawText()}."),
        };
    }
}
