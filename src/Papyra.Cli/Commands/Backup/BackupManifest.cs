using System.Globalization;
using System.Text.Json;

namespace Papyra.Cli.Commands.Backup;

/// <summary>One file of the store inside an archive: its name, size, SHA-256 and the records it holds.</summary>
internal sealed record BackupMember(string Name, long Bytes, string Sha256, long Records, long Damaged);

/// <summary>
/// <c>manifest.json</c>, the last member of every archive: what was backed up, when, by which tool,
/// the record counts and the SHA-256 of every other member. Format described in docs/backup.md.
/// </summary>
internal sealed record BackupManifest
{
    public const string FileName = "manifest.json";

    public const string StoreDirectory = "store/";

    public const string Format = "papyra-backup";

    public const int CurrentFormatVersion = 1;

    /// <summary>The largest manifest a reader accepts (it lists a few members; anything bigger is not a manifest).</summary>
    public const int MaxBytes = 1 << 20;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required string Backend { get; init; }

    public string? Source { get; init; }

    public string? SystemId { get; init; }

    public IReadOnlyList<string> SystemIds { get; init; } = [];

    public long Events { get; init; }

    public long Audits { get; init; }

    public long DeadLetters { get; init; }

    public long DamagedLines { get; init; }

    public double? FirstTimestamp { get; init; }

    public double? LastTimestamp { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string Tool { get; init; } = CommandTree.ApplicationName;

    public required string ToolVersion { get; init; }

    public string Compression { get; init; } = "gzip";

    public required IReadOnlyList<BackupMember> Members { get; init; }

    public long Records => Events + Audits + DeadLetters;

    public static string ToolVersionOfThisBuild
        => typeof(BackupManifest).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("format_version", FormatVersion);
        w.WriteString("backend", Backend);
        WriteNullable(w, "source", Source);
        WriteNullable(w, "system_id", SystemId);
        w.WriteStartArray("system_ids");
        foreach (string id in SystemIds)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteStartObject("records");
        w.WriteNumber("events", Events);
        w.WriteNumber("audits", Audits);
        w.WriteNumber("dead_letters", DeadLetters); // not a metric: the dead-letter records in the archive
        w.WriteNumber("total", Records);
        w.WriteNumber("damaged_lines", DamagedLines);
        w.WriteEndObject();
        WriteNullable(w, "first_timestamp", FirstTimestamp);
        WriteNullable(w, "last_timestamp", LastTimestamp);
        w.WriteString("created_at", CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("tool", Tool);
        w.WriteString("tool_version", ToolVersion);
        w.WriteString("compression", Compression);
        w.WriteStartArray("members");
        foreach (BackupMember member in Members)
        {
            w.WriteStartObject();
            w.WriteString("name", member.Name);
            w.WriteNumber("bytes", member.Bytes);
            w.WriteString("sha256", member.Sha256);
            w.WriteNumber("records", member.Records);
            w.WriteNumber("damaged_lines", member.Damaged);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Rendering.CliOutput.JsonOptions))
        {
            Write(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a manifest; anything that is not one is a <see cref="FormatException"/> with one sentence saying why.</summary>
    public static BackupManifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json.ToArray());
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.GetString() != Format)
            {
                throw new FormatException($"{FileName} is not a Papyra backup manifest (no \"format\": \"{Format}\").");
            }

            int version = root.GetProperty("format_version").GetInt32();
            if (version > CurrentFormatVersion)
            {
                throw new FormatException($"{FileName} has format version {version.ToString(CultureInfo.InvariantCulture)}; this papyra reads version {CurrentFormatVersion.ToString(CultureInfo.InvariantCulture)} (upgrade papyra).");
            }

            JsonElement records = root.GetProperty("records");
            return new BackupManifest
            {
                FormatVersion = version,
                Backend = root.GetProperty("backend").GetString() ?? "json",
                Source = OptionalString(root, "source"),
                SystemId = OptionalString(root, "system_id"),
                SystemIds = root.TryGetProperty("system_ids", out JsonElement ids) ? [.. ids.EnumerateArray().Select(i => i.GetString() ?? string.Empty)] : [],
                Events = records.GetProperty("events").GetInt64(),
                Audits = records.GetProperty("audits").GetInt64(),
                DeadLetters = records.GetProperty("dead_letters").GetInt64(), // not a metric: the manifest's record count
                DamagedLines = records.TryGetProperty("damaged_lines", out JsonElement damaged) ? damaged.GetInt64() : 0,
                FirstTimestamp = OptionalNumber(root, "first_timestamp"),
                LastTimestamp = OptionalNumber(root, "last_timestamp"),
                CreatedAt = DateTimeOffset.Parse(root.GetProperty("created_at").GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                Tool = OptionalString(root, "tool") ?? CommandTree.ApplicationName,
                ToolVersion = OptionalString(root, "tool_version") ?? "unknown",
                Compression = OptionalString(root, "compression") ?? "gzip",
                Members =
                [
                    .. root.GetProperty("members").EnumerateArray().Select(m => new BackupMember(
                        m.GetProperty("name").GetString() ?? string.Empty,
                        m.GetProperty("bytes").GetInt64(),
                        m.GetProperty("sha256").GetString() ?? string.Empty,
                        m.TryGetProperty("records", out JsonElement r) ? r.GetInt64() : 0,
                        m.TryGetProperty("damaged_lines", out JsonElement d) ? d.GetInt64() : 0)),
                ],
            };
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException
            || (exception is FormatException && !exception.Message.StartsWith(FileName, StringComparison.Ordinal)))
        {
            throw new FormatException($"{FileName} is not a valid Papyra backup manifest ({exception.Message.TrimEnd('.')}).", exception);
        }
    }

    private static string? OptionalString(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? OptionalNumber(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
