using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Papyra.Metrics;
using Papyra.Persistence;

namespace Papyra.Hosting.Json;

/// <summary>
/// Writes the endpoints' JSON bodies: compact, UTF-8 without escaping non-ASCII, snake_case keys
/// (the names the CLI's <c>--json</c> output and the NDJSON records use).
/// </summary>
internal static class PapyraJsonWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer, Options))
        {
            body(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteHealth(Utf8JsonWriter writer, PapyraHealthReport report)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("ok", report.IsHealthy);
        writer.WriteString("status", report.IsHealthy ? "Healthy" : "Unhealthy");
        writer.WriteString("system_id", report.SystemId);
        writer.WriteString("state", report.State.ToString());
        writer.WriteString("backend", report.Backend);
        writer.WriteBoolean("scan_supported", report.ScanSupported);
        writer.WriteString("description", report.Description);
        if (report.Scan is { } scan)
        {
            WriteNullableString(writer, "path", scan.Path);
            writer.WriteNumber("records_scanned", scan.RecordsScanned);
            writer.WriteNumber("total_anomalies", scan.TotalAnomalies);
            WriteAnomalies(writer, "anomalies", scan);
        }

        if (report.Error is { } error)
        {
            writer.WriteString("error", error);
        }

        writer.WriteEndObject();
    }

    public static void WriteAnomalies(Utf8JsonWriter writer, string property, PersistenceScanReport scan)
    {
        writer.WriteStartArray(property);
        foreach (PersistenceAnomaly anomaly in scan.Anomalies)
        {
            writer.WriteStartObject();
            writer.WriteString("type", anomaly.Type.ToString());
            writer.WriteString("path", anomaly.Path);
            WriteNullableNumber(writer, "line", anomaly.Line);
            WriteNullableNumber(writer, "offset", anomaly.Offset);
            WriteNullableString(writer, "detail", anomaly.Detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteCompaction(Utf8JsonWriter writer, CompactionReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("backend", report.Backend);
        writer.WriteNumber("before_records", report.BeforeRecords);
        writer.WriteNumber("after_records", report.AfterRecords);
        WriteNullableNumber(writer, "before_bytes", report.BeforeBytes);
        WriteNullableNumber(writer, "after_bytes", report.AfterBytes);
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, string error)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("ok", false);
        writer.WriteString("error", error);
        writer.WriteEndObject();
    }

    public static void WriteAudit(Utf8JsonWriter writer, AuditReport audit, bool includeActors)
    {
        writer.WriteStartObject();
        writer.WriteString("system_id", audit.SystemId);
        writer.WriteNumber("timestamp", audit.Timestamp);
        writer.WriteNumber("total_actors", audit.TotalActors);
        writer.WriteNumber("alive_actors", audit.AliveActors);
        writer.WriteNumber("stopping_actors", audit.StoppingActors);
        writer.WriteNumber("restarting_actors", audit.RestartingActors);
        writer.WriteNumber("registry_size", audit.RegistrySize);
        WriteStrings(writer, "registry_orphans", audit.RegistryOrphans);
        WriteStrings(writer, "registry_dead", audit.RegistryDead);
        writer.WriteNumber("dead_letters_count", audit.DeadLettersCount);
        if (includeActors)
        {
            writer.WriteStartArray("actors");
            foreach (ActorInfo actor in audit.Actors)
            {
                writer.WriteStartObject();
                writer.WriteString("address", actor.Address.ToString());
                WriteNullableString(writer, "name", actor.Name);
                WriteNullableString(writer, "parent", actor.Parent?.ToString());
                writer.WriteStartArray("children");
                foreach (ActorAddress child in actor.Children)
                {
                    writer.WriteStringValue(child.ToString());
                }

                writer.WriteEndArray();
                writer.WriteBoolean("alive", actor.IsAlive);
                writer.WriteBoolean("stopping", actor.IsStopping);
                writer.WriteBoolean("restarting", actor.IsRestarting);
                writer.WriteString("actor_type", actor.ActorType);
                writer.WriteNumber(RuntimeMetricNames.MailboxDepth, actor.MailboxDepth);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string property, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(property);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string property, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(property);
        }
        else
        {
            writer.WriteString(property, value);
        }
    }

    private static void WriteNullableNumber(Utf8JsonWriter writer, string property, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(property, number);
        }
        else
        {
            writer.WriteNull(property);
        }
    }
}
