using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders record listings: a table, or a JSON array of records with the NDJSON field names.</summary>
internal static class RecordRenderer
{
    private const int PayloadWidth = 60;

    private static readonly double MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static readonly JsonSerializerOptions CompactPayload = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteRecord(Utf8JsonWriter writer, PersistedRecord record) => PersistedRecordSerializer.WriteObject(writer, record);

    public static void Records<T>(CliOutput output, IReadOnlyList<T> records, long skipped)
        where T : PersistedRecord
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartArray();
                foreach (T record in records)
                {
                    WriteRecord(w, record);
                }

                w.WriteEndArray();
            });

            // The JSON document is the array itself; the count of damaged lines goes to stderr.
            if (skipped > 0)
            {
                output.Warn($"{HealthRenderer.Count(skipped, "damaged line was", "damaged lines were")} skipped.");
            }

            return;
        }

        if (records.Count == 0)
        {
            HealthRenderer.Info(output, "No records match.");
        }
        else
        {
            output.Console.Write(Table(records));
            HealthRenderer.Info(output, HealthRenderer.Count(records.Count, "record", "records") + ".");
        }

        if (skipped > 0)
        {
            HealthRenderer.Info(output, $"{HealthRenderer.Count(skipped, "damaged line", "damaged lines")} skipped.");
        }
    }

    private static Table Table<T>(IReadOnlyList<T> records)
        where T : PersistedRecord
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Time (UTC)").AddColumn(new TableColumn("Timestamp").RightAligned());
        switch (records)
        {
            case IReadOnlyList<PersistedEvent> events:
                table.AddColumn("Event").AddColumn("Actor").AddColumn("Payload");
                foreach (PersistedEvent e in events)
                {
                    AddRow(table, e, e.EventType, Address(e.ActorAddress), Payload(e.Payload));
                }

                break;
            case IReadOnlyList<PersistedDeadLetter> deadLetters:
                table.AddColumn("Message type").AddColumn("Target").AddColumn("Reply").AddColumn("Payload");
                foreach (PersistedDeadLetter d in deadLetters)
                {
                    AddRow(table, d, d.MessageType, Address(d.Target), d.ExpectsReply ? "yes" : "no", Payload(d.Payload));
                }

                break;
            case IReadOnlyList<PersistedAudit> audits:
                foreach (string column in (string[])["Total", "Alive", "Stopping", "Restarting", "Dead letters"])
                {
                    table.AddColumn(new TableColumn(column).RightAligned());
                }

                foreach (PersistedAudit a in audits)
                {
                    AddRow(table, a, Int(a.TotalActors), Int(a.AliveActors), Int(a.StoppingActors), Int(a.RestartingActors), a.DeadLettersCount.ToString(CultureInfo.InvariantCulture));
                }

                break;
        }

        return table;
    }

    private static void AddRow(Table table, PersistedRecord record, params string[] cells)
    {
        string time = UtcText(record.Timestamp);
        table.AddRow([new Text(time), new Text(record.Timestamp.ToString("F3", CultureInfo.InvariantCulture)), .. cells.Select(c => new Text(TerminalText.Safe(c)))]);
    }

    // A record may carry any finite timestamp; one outside the calendar is shown as "-", never a crash.
    private static string UtcText(double timestamp)
    {
        double milliseconds = Math.Round(timestamp * 1000);
        return milliseconds >= MinUnixMilliseconds && milliseconds <= MaxUnixMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : "-";
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Address(ActorAddress? address) => address?.ToString() ?? "-";

    private static string Payload(JsonElement payload)
    {
        string text = JsonSerializer.Serialize(payload, CompactPayload);
        return text.Length <= PayloadWidth ? text : string.Concat(text.AsSpan(0, PayloadWidth - 1), "…");
    }
}
