using System.Globalization;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;
using Papyra.Reports;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders record listings: a table, or a JSON array of records with the NDJSON field names.</summary>
internal static class RecordRenderer
{
    private const int PayloadWidth = 60;

    private static readonly double MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    private static readonly double MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static void WriteRecord(Utf8JsonWriter writer, PersistedRecord record) => PersistedRecordSerializer.WriteObject(writer, record);

    /// <summary>How many records a listing prints as a table; a longer listing prints one line per record.</summary>
    public const int TableRows = 1000;

    /// <summary>
    /// Writes streamed records as they arrive: with --json one JSON array written record by record
    /// (flushed every few hundred records), otherwise a table of up to <see cref="TableRows"/> rows, or one line per record beyond.
    /// <paramref name="saveCursor"/> is called with each record's position once the record is written out.
    /// </summary>
    public static async Task RecordsAsync(CliOutput output, IAsyncEnumerable<StoredRecord> records, Action<PersistencePosition>? saveCursor, CancellationToken cancellationToken)
    {
        if (output.Json)
        {
            using Stream stdout = Console.OpenStandardOutput();
            await using (var writer = new Utf8JsonWriter(stdout, CliOutput.JsonOptions))
            {
                writer.WriteStartArray();
                int pending = 0;
                await foreach (StoredRecord stored in records.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    WriteRecord(writer, stored.Record);
                    if (saveCursor is not null)
                    {
                        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                        saveCursor(stored.Position);
                    }
                    else if (++pending == 256)
                    {
                        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                        pending = 0;
                    }
                }

                writer.WriteEndArray();
            }

            stdout.WriteByte((byte)'\n');
            stdout.Flush();
            return;
        }

        // Up to TableRows records print as one table; a longer listing prints one line per record
        // (the --follow format) as they are read: a table must measure every row before the first.
        // The cursor may only move past what is printed.
        var chunk = new List<StoredRecord>(TableRows);
        long total = 0;
        Stream? lines = null;
        try
        {
            await foreach (StoredRecord stored in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                total++;
                if (lines is null)
                {
                    chunk.Add(stored);
                    if (chunk.Count <= TableRows)
                    {
                        continue;
                    }

                    lines = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
                    foreach (StoredRecord held in chunk)
                    {
                        WriteLine(lines, held.Record);
                    }

                    chunk.Clear();
                }
                else
                {
                    WriteLine(lines, stored.Record);
                }

                if (saveCursor is not null)
                {
                    lines.Flush();
                    saveCursor(stored.Position);
                }
            }

            if (lines is not null)
            {
                lines.Flush();
            }
            else if (chunk.Count > 0)
            {
                output.Console.Write(Table(chunk.ConvertAll(r => r.Record)));
                saveCursor?.Invoke(chunk[^1].Position);
            }
        }
        finally
        {
            lines?.Dispose();
        }

        HealthRenderer.Info(output, total == 0 ? "No records match." : HealthRenderer.Count(total, "record", "records") + ".");
    }

    /// <summary>Writes each record as one line as it arrives (NDJSON with --json), flushed at once, until the stream ends.</summary>
    public static async Task FollowAsync(CliOutput output, IAsyncEnumerable<StoredRecord> records, Action<PersistencePosition>? saveCursor, CancellationToken cancellationToken)
    {
        using Stream stdout = Console.OpenStandardOutput();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, CliOutput.NdjsonOptions);
        try
        {
            await foreach (StoredRecord stored in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (output.Json)
                {
                    writer.Reset();
                    buffer.ResetWrittenCount();
                    WriteRecord(writer, stored.Record);
                    writer.Flush();
                    stdout.Write(buffer.WrittenSpan);
                    stdout.WriteByte((byte)'\n');
                }
                else
                {
                    WriteLine(stdout, stored.Record);
                }

                stdout.Flush();
                saveCursor?.Invoke(stored.Position);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: what was printed is complete, and the cursor follows it.
        }
    }

    /// <summary>Says how many damaged lines a listing passed over (stderr with --json).</summary>
    public static void Skipped(CliOutput output, long skipped)
    {
        if (skipped <= 0)
        {
            return;
        }

        if (output.Json)
        {
            output.Warn($"{HealthRenderer.Count(skipped, "damaged line was", "damaged lines were")} skipped.");
        }
        else
        {
            HealthRenderer.Info(output, $"{HealthRenderer.Count(skipped, "damaged line", "damaged lines")} skipped.");
        }
    }

    private static void WriteLine(Stream stdout, PersistedRecord record) => stdout.Write(System.Text.Encoding.UTF8.GetBytes(Line(record) + "\n"));

    // One record as one line of text: time, timestamp, then the kind's own columns.
    private static string Line(PersistedRecord record)
    {
        string head = $"{UtcText(record.Timestamp)}  {record.Timestamp.ToString("F3", CultureInfo.InvariantCulture)}";
        string tail = record switch
        {
            PersistedEvent e => $"{e.EventType}  {Address(e.ActorAddress)}  {Payload(e.Payload)}",
            PersistedDeadLetter d => $"{d.MessageType}  {Address(d.Target)}  {(d.ExpectsReply ? "ask" : "tell")}  {Payload(d.Payload)}",
            PersistedAudit a => $"audit total={Int(a.TotalActors)} alive={Int(a.AliveActors)} stopping={Int(a.StoppingActors)} restarting={Int(a.RestartingActors)} dead_letters={a.DeadLettersCount.ToString(CultureInfo.InvariantCulture)}",
            _ => string.Empty,
        };
        return TerminalText.Safe($"{head}  {tail}");
    }

    private static Table Table(List<PersistedRecord> records) => records[0] switch
    {
        PersistedEvent => Table<PersistedEvent>([.. records.Cast<PersistedEvent>()]),
        PersistedDeadLetter => Table<PersistedDeadLetter>([.. records.Cast<PersistedDeadLetter>()]),
        _ => Table<PersistedAudit>([.. records.Cast<PersistedAudit>()]),
    };

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
        string text = JsonSerializer.Serialize(payload, ReportJson.Values);
        return text.Length <= PayloadWidth ? text : string.Concat(text.AsSpan(0, PayloadWidth - 1), "…");
    }
}
