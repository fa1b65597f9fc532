using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Reports;

namespace Papyra.Cli.Rendering;

/// <summary>The JSON pieces the commands that are not shared reports write themselves (the shared ones are in <see cref="ReportJson"/>).</summary>
internal static class JsonFields
{
    public static void WriteStore(Utf8JsonWriter writer, StoreView store)
    {
        writer.WriteString("backend", store.Backend);
        if (store.Path is null)
        {
            writer.WriteNull("path");
        }
        else
        {
            writer.WriteString("path", SecretRedaction.Redact(store.Path));
        }
    }

    /// <summary>Writes <c>retention</c>, the shape every report gives a policy.</summary>
    public static void WriteRetention(Utf8JsonWriter writer, RetentionPolicy retention)
    {
        writer.WritePropertyName("retention");
        ReportJson.Write(writer, RetentionJson.From(retention), ReportJson.Context.RetentionJson);
    }

    public static void WriteNullableNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
