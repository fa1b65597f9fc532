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

    private static readonly JsonWriterOptions CompactPayloadWriter = ReportJson.Compact with { SkipValidation = true };

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_payloadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_payloadWriter;

    [ThreadStatic]
    private static byte[]? t_lineBytes;

    [ThreadStatic]
    private static System.Text.StringBuilder? t_line;

    [ThreadStatic]
    private static System.Text.Encoder? t_encoder;

    [ThreadStatic]
    private static long t_second;

    [ThreadStatic]
    private static string? t_secondText;

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
            // Records are written into a buffer that goes to standard output every 64 kB (or after
            // each record when a cursor follows what is printed), synchronously: the console stream
            // has no async write, and its async-over-sync path would hand every write to the pool.
            using Stream stdout = CliOutput.OpenStandardOutput();
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(1 << 17);
            using (var writer = new Utf8JsonWriter(buffer, CliOutput.JsonOptions))
            {
                writer.WriteStartArray();
                await foreach (StoredRecord stored in records.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    WriteRecord(writer, stored.Record);
                    if (saveCursor is not null || writer.BytesPending + buffer.WrittenCount >= 1 << 16)
                    {
                        writer.Flush();
                        stdout.Write(buffer.WrittenSpan);
                        buffer.ResetWrittenCount();
                        if (saveCursor is not null)
                        {
                            stdout.Flush();
                            saveCursor(stored.Position);
                        }
                    }
                }

                writer.WriteEndArray();
                writer.Flush();
            }

            stdout.Write(buffer.WrittenSpan);
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

                    lines = new BufferedStream(CliOutput.OpenStandardOutput(), 1 << 16);
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
        using Stream stdout = CliOutput.OpenStandardOutput();
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

    // One line per record, built in a reused buffer and encoded straight into a reused byte array
    // (a 2.9M-record listing would otherwise make several strings per line).
    private static void WriteLine(Stream stdout, PersistedRecord record)
    {
        System.Text.StringBuilder line = t_line ??= new System.Text.StringBuilder(256);
        line.Clear();
        AppendLine(line, record);
        string? safe = null;
        foreach (ReadOnlyMemory<char> chunk in line.GetChunks())
        {
            if (TerminalText.HasControl(chunk.Span))
            {
                safe = TerminalText.Safe(line.ToString());
                break;
            }
        }

        int max = System.Text.Encoding.UTF8.GetMaxByteCount(safe?.Length ?? line.Length) + 1;
        byte[] bytes = t_lineBytes is { } held && held.Length >= max ? held : (t_lineBytes = new byte[max + 256]);
        int length = 0;
        if (safe is not null)
        {
            length = System.Text.Encoding.UTF8.GetBytes(safe, bytes);
        }
        else
        {
            System.Text.Encoder encoder = t_encoder ??= new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
            encoder.Reset();
            foreach (ReadOnlyMemory<char> chunk in line.GetChunks())
            {
                length += encoder.GetBytes(chunk.Span, bytes.AsSpan(length), flush: false);
            }

            length += encoder.GetBytes([], bytes.AsSpan(length), flush: true);
        }

        bytes[length] = (byte)'\n';
        stdout.Write(bytes, 0, length + 1);
    }

    // One record as one line of text: time, timestamp, then the kind's own columns.
    private static void AppendLine(System.Text.StringBuilder line, PersistedRecord record)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        line.Append(UtcText(record.Timestamp)).Append("  ").Append(invariant, $"{record.Timestamp:F3}").Append("  ");
        switch (record)
        {
            case PersistedEvent e:
                line.Append(e.EventType).Append("  ");
                AppendAddress(line, e.ActorAddress);
                line.Append("  ").Append(Payload(e));
                break;
            case PersistedDeadLetter d:
                line.Append(d.MessageType).Append("  ");
                AppendAddress(line, d.Target);
                line.Append("  ").Append(d.ExpectsReply ? "ask" : "tell").Append("  ").Append(Payload(d));
                break;
            case PersistedAudit a:
                line.Append(invariant, $"audit total={a.TotalActors} alive={a.AliveActors} stopping={a.StoppingActors} restarting={a.RestartingActors} dead_letters={a.DeadLettersCount}");
                break;
        }
    }

    private static void AppendAddress(System.Text.StringBuilder line, ActorAddress? address)
    {
        if (address is { } a)
        {
            line.Append(a.System).Append(':').Append(a.Id);
        }
        else
        {
            line.Append('-');
        }
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
                    AddRow(table, e, e.EventType, Address(e.ActorAddress), Payload(e));
                }

                break;
            case IReadOnlyList<PersistedDeadLetter> deadLetters:
                table.AddColumn("Message type").AddColumn("Target").AddColumn("Reply").AddColumn("Payload");
                foreach (PersistedDeadLetter d in deadLetters)
                {
                    AddRow(table, d, d.MessageType, Address(d.Target), d.ExpectsReply ? "yes" : "no", Payload(d));
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
    // Listings print records in time order: the text up to the second is made once per second.
    private static string UtcText(double timestamp)
    {
        double milliseconds = Math.Round(timestamp * 1000);
        if (!(milliseconds >= MinUnixMilliseconds && milliseconds <= MaxUnixMilliseconds))
        {
            return "-";
        }

        long ms = (long)milliseconds;
        long second = Math.DivRem(ms, 1000, out long fraction);
        if (fraction < 0)
        {
            second--;
            fraction += 1000;
        }

        if (second != t_second || t_secondText is null)
        {
            t_secondText = DateTimeOffset.FromUnixTimeMilliseconds(second * 1000).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            t_second = second;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{t_secondText}.{fraction:D3}");
    }
    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Address(ActorAddress? address) => address?.ToString() ?? "-";

    // Compact JSON, cut to the column's width: a payload read from a store is copied from its text
    // (StoredPayloadWriter), not parsed first.
    private static string Payload(PersistedRecord record)
    {
        var buffer = t_payloadBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_payloadWriter ??= new Utf8JsonWriter(buffer, CompactPayloadWriter);
        writer.Reset(buffer);
        StoredPayloadWriter.Write(writer, record);
        writer.Flush();
        string text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text.Length <= PayloadWidth ? text : string.Concat(text.AsSpan(0, PayloadWidth - 1), "…");
    }
}
