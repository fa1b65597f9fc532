using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Reports;

namespace Papyra.Cli.Commands.Export;

/// <summary>
/// Writes records as CSV (RFC 4180 quoting: a field holding a comma, a quote, CR or LF is quoted and
/// its quotes doubled; rows end with LF), one fixed column set for every kind; a column that does
/// not apply to a record's kind is empty. The column set is a contract (docs/backup.md).
/// </summary>
internal static class CsvRecordWriter
{
    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "kind", "timestamp", "time_utc", "system_id", "actor", "type", "expects_reply", "payload",
        "total_actors", "alive_actors", "stopping_actors", "restarting_actors", "registry_size", "dead_letters_count",
    ];

    public static void WriteHeader(IBufferWriter<byte> output) => WriteRow(output, Columns);

    public static void WriteRecord(IBufferWriter<byte> output, PersistedRecord record)
    {
        string timestamp = record.Timestamp.ToString("R", CultureInfo.InvariantCulture);
        string time = TimeUtc(record.Timestamp);
        string[] cells = record switch
        {
            PersistedEvent e => ["event", timestamp, time, e.SystemId, e.ActorAddress?.ToString() ?? string.Empty, e.EventType, string.Empty, Json(e.Payload), "", "", "", "", "", ""],
            PersistedDeadLetter d => ["dead_letter", timestamp, time, d.SystemId, d.Target?.ToString() ?? string.Empty, d.MessageType, d.ExpectsReply ? "true" : "false", Json(d.Payload), "", "", "", "", "", ""],
            PersistedAudit a =>
            [
                "audit", timestamp, time, a.SystemId, string.Empty, string.Empty, string.Empty, string.Empty,
                Int(a.TotalActors), Int(a.AliveActors), Int(a.StoppingActors), Int(a.RestartingActors), Int(a.RegistrySize), a.DeadLettersCount.ToString(CultureInfo.InvariantCulture),
            ],
            _ => [],
        };
        WriteRow(output, cells);
    }

    /// <summary>A CSV field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF.</summary>
    public static string Field(string value)
        => value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteRow(IBufferWriter<byte> output, IReadOnlyList<string> cells)
    {
        var line = new StringBuilder(256);
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Field(cells[i]));
        }

        line.Append('\n');
        string text = line.ToString();
        int count = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, output.GetSpan(count));
        output.Advance(count);
    }

    private static string Json(JsonElement payload) => payload.ValueKind == JsonValueKind.Undefined ? string.Empty : JsonSerializer.Serialize(payload, ReportJson.Values);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string TimeUtc(double timestamp)
    {
        double ms = Math.Round(timestamp * 1000);
        return ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : string.Empty;
    }
}
