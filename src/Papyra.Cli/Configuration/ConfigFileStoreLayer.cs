using System.Text.Json;
using Papyra.Cli.Errors;

namespace Papyra.Cli.Configuration;

/// <summary>
/// Reads a <c>papyra.json</c> config file:
/// <code>
/// { "backend": "json", "path": "events.ndjson", "redis_url": null,
///   "retention": { "max_records": 1000, "max_age_seconds": 86400, "max_total_bytes": 1048576 },
///   "rotating": { "max_bytes": 1048576, "max_files": 5 },
///   "redis": { "system_id": "local", "key_prefix": "papyra" } }
/// </code>
/// Every key is optional; unknown keys are rejected so a typo is never silently ignored.
/// A relative <c>path</c> is relative to the config file's directory.
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

    /// <summary>Every key the file may hold, for the approved surface.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "backend", "path", "redis_url", "retention.max_records", "retention.max_age_seconds",
        "retention.max_total_bytes", "rotating.max_bytes", "rotating.max_files",
        "redis.system_id", "redis.key_prefix",
    ];

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
            throw new CliUsageException(
                $"The config file '{file}' is not valid JSON (line {(exception.LineNumber ?? 0) + 1}): {exception.Message.Split(" Path:", 2)[0].TrimEnd('.')}.",
                exception);
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
                layer = property.Name switch
                {
                    "backend" => layer with { Backend = String(file, property) },
                    "path" => layer with { Path = String(file, property) is { } p ? System.IO.Path.GetFullPath(p, directory) : null },
                    "redis_url" => layer with { RedisUrl = String(file, property) },
                    "retention" => ReadRetention(file, property, layer),
                    "rotating" => ReadRotating(file, property, layer),
                    "redis" => ReadRedis(file, property, layer),
                    _ => throw UnknownKey(file, property.Name),
                };
            }

            return layer;
        }
    }

    private static StoreLayer ReadRetention(string file, JsonProperty section, StoreLayer layer)
    {
        if (Object(file, section) is not { } values)
        {
            return layer;
        }

        foreach (JsonProperty property in values.EnumerateObject())
        {
            string key = $"retention.{property.Name}";
            layer = property.Name switch
            {
                "max_records" => layer with { MaxRecords = SettingValues.PositiveInteger(Setting(file, key), Integer(file, key, property.Value)) },
                "max_age_seconds" => layer with { MaxAgeSeconds = SettingValues.PositiveNumber(Setting(file, key), Number(file, key, property.Value)) },
                "max_total_bytes" => layer with { MaxTotalBytes = SettingValues.PositiveInteger(Setting(file, key), Integer(file, key, property.Value)) },
                _ => throw UnknownKey(file, key),
            };
        }

        return layer;
    }

    private static StoreLayer ReadRotating(string file, JsonProperty section, StoreLayer layer)
    {
        if (Object(file, section) is not { } values)
        {
            return layer;
        }

        foreach (JsonProperty property in values.EnumerateObject())
        {
            string key = $"rotating.{property.Name}";
            layer = property.Name switch
            {
                "max_bytes" => layer with { RotatingMaxBytes = SettingValues.PositiveInteger(Setting(file, key), Integer(file, key, property.Value)) },
                "max_files" => layer with { RotatingMaxFiles = checked((int?)SettingValues.PositiveInteger(Setting(file, key), Integer(file, key, property.Value))) },
                _ => throw UnknownKey(file, key),
            };
        }

        return layer;
    }

    private static StoreLayer ReadRedis(string file, JsonProperty section, StoreLayer layer)
    {
        if (Object(file, section) is not { } values)
        {
            return layer;
        }

        foreach (JsonProperty property in values.EnumerateObject())
        {
            layer = property.Name switch
            {
                "system_id" => layer with { RedisSystemId = String(file, property) },
                "key_prefix" => layer with { RedisKeyPrefix = String(file, property) },
                "tls_ca" => layer with { RedisTlsCa = String(file, property) is { } ca ? System.IO.Path.GetFullPath(ca, System.IO.Path.GetDirectoryName(file) ?? Directory.GetCurrentDirectory()) : null },
                _ => throw UnknownKey(file, $"redis.{property.Name}"),
            };
        }

        return layer;
    }

    private static string Setting(string file, string key) => $"'{key}' in '{file}'";

    private static JsonElement? Object(string file, JsonProperty section) => section.Value.ValueKind switch
    {
        JsonValueKind.Object => section.Value,
        JsonValueKind.Null => null,
        _ => throw new CliUsageException($"The key '{section.Name}' in '{file}' must be an object, not {Describe(section.Value.ValueKind)}."),
    };

    private static string? String(string file, JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => EnvironmentStoreLayer.NonEmpty(property.Value.GetString()),
        JsonValueKind.Null => null,
        _ => throw new CliUsageException($"The key '{property.Name}' in '{file}' must be a string, not {Describe(property.Value.ValueKind)}."),
    };

    private static long? Integer(string file, string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt64(out long number) => number,
        _ => throw new CliUsageException($"The key '{key}' in '{file}' must be a whole number or null, not {value.GetRawText()}."),
    };

    private static double? Number(string file, string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => value.GetDouble(),
        _ => throw new CliUsageException($"The key '{key}' in '{file}' must be a number or null, not {value.GetRawText()}."),
    };

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
}
