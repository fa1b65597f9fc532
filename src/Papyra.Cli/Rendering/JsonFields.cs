using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Rendering;

/// <summary>The JSON pieces several commands share, so a scan report has one shape everywhere.</summary>
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

    /// <summary>Writes <c>healthy</c>, the scan counts and the <c>anomalies</c> array of a scan.</summary>
    public static void WriteScanBody(Utf8JsonWriter writer, PersistenceScanReport report)
    {
        writer.WriteBoolean("healthy", !report.HasAnomalies);
        writer.WriteNumber("records_scanned", report.RecordsScanned);
        writer.WriteNumber("bytes_scanned", report.BytesScanned);
        writer.WriteNumber("total_anomalies", report.TotalAnomalies);
        WriteAnomalies(writer, "anomalies", report.Anomalies);
    }

    public static void WriteAnomalies(Utf8JsonWriter writer, string name, IReadOnlyList<PersistenceAnomaly> anomalies)
    {
        writer.WriteStartArray(name);
        foreach (PersistenceAnomaly anomaly in anomalies)
        {
            writer.WriteStartObject();
            writer.WriteString("type", anomaly.Type.ToString());
            WriteNullableNumber(writer, "line", anomaly.Line);
            WriteNullableNumber(writer, "offset", anomaly.Offset);
            WriteNullableString(writer, "detail", anomaly.Detail);
            writer.WriteString("path", anomaly.Path);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes <c>recovery</c> (what was done) and <c>verification</c> (the scan after it).</summary>
    public static void WriteRecovery(Utf8JsonWriter writer, PersistenceRecoveryReport? recovery)
    {
        if (recovery is null)
        {
            writer.WriteNull("recovery");
            writer.WriteNull("verification");
            return;
        }

        writer.WriteStartObject("recovery");
        writer.WriteString("mode", PersistenceOptionNames.ToName(recovery.Mode));
        WriteStrings(writer, "repaired_files", recovery.RepairedFiles);
        WriteStrings(writer, "quarantined_files", recovery.QuarantinedFiles);
        WriteStrings(writer, "rejected_files", recovery.RejectedFiles);
        writer.WriteEndObject();
        writer.WriteStartObject("verification");
        WriteScanBody(writer, recovery.Verification);
        writer.WriteEndObject();
    }

    public static void WriteRetention(Utf8JsonWriter writer, RetentionPolicy retention)
    {
        writer.WriteStartObject("retention");
        WriteNullableNumber(writer, "max_records", retention.MaxRecords);
        if (retention.MaxAgeSeconds is { } age)
        {
            writer.WriteNumber("max_age_seconds", age);
        }
        else
        {
            writer.WriteNull("max_age_seconds");
        }

        WriteNullableNumber(writer, "max_total_bytes", retention.MaxTotalBytes);
        writer.WriteEndObject();
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
