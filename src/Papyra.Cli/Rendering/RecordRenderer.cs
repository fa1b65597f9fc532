using System.Buffers;
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

    /// <summary>The indentation of a JSON listing (<see cref="CliOutput.JsonOptions"/>).</summary>
    internal static readonly JsonIndentation ListingIndentation = JsonIndentation.For(CliOutput.JsonOptions);

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
            await WriteJsonArrayAsync(records, saveCursor, cancellationToken).ConfigureAwait(false);
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

    // One JSON array, written record by record into a buffer that goes to standard output every 64 kB
    // (or after each record when a cursor follows what is printed), synchronously: the console stream
    // has no async write, and its async-over-sync path would hand every write to the pool. The record
    // writer writes each record indented in place: the bytes an indented Utf8JsonWriter writes through
    // PersistedRecordSerializer.WriteObject, for a fraction of the cost.
    private static async Task WriteJsonArrayAsync(IAsyncEnumerable<StoredRecord> records, Action<PersistencePosition>? saveCursor, CancellationToken cancellationToken)
    {
        using Stream stdout = CliOutput.OpenStandardOutput();
        var buffer = new ArrayBufferWriter<byte>(1 << 17);
        JsonIndentation indentation = ListingIndentation;
        buffer.Write("["u8);
        bool first = true;
        await foreach (StoredRecord stored in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!first)
            {
                buffer.Write(","u8);
            }

            first = false;
            indentation.WriteBreak(buffer, 1);
            RecordJsonWriter.WriteIndented(buffer, stored.Record, indentation, 1);
            if (saveCursor is not null || buffer.WrittenCount >= 1 << 16)
            {
                stdout.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
                if (saveCursor is not null)
                {
                    stdout.Flush();
                    saveCursor(stored.Position);
                }
            }
        }

        if (!first)
        {
            indentation.WriteBreak(buffer, 0);
        }

        buffer.Write("]\n"u8);
        stdout.Write(buffer.WrittenSpan);
        stdout.Flush();
    }

    /// <summary>Writes each record as one line as it arrives (NDJSON with --json), flushed at once, until the stream ends.</summary>
    public static async Task FollowAsync(CliOutput output, IAsyncEnumerable<StoredRecord> records, Action<PersistencePosition>? saveCursor, CancellationToken cancellationToken)
    {
        using Stream stdout = CliOutput.OpenStandardOutput();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        try
        {
            await foreach (StoredRecord stored in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (output.Json)
                {
                    // The record writer writes what a compact writer with the NDJSON options writes.
                    buffer.ResetWrittenCount();
                    RecordJsonWriter.WriteLine(buffer, stored.Record);
                    stdout.Write(buffer.WrittenSpan);
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

    // One line per record. An event or dead letter whose text is all ASCII without control characters
    // (the common case) is assembled as bytes in a reused array; anything else is built in a reused
    // string builder and encoded, with control characters made safe. Both give the same line.
    private static void WriteLine(Stream stdout, PersistedRecord record)
    {
        byte[] line = t_lineBytes ??= new byte[1024];
        if (TryWriteAsciiLine(record, line, out int written))
        {
            line[written] = (byte)'\n';
            stdout.Write(line, 0, written + 1);
            return;
        }

        WriteLineSlowly(stdout, record);
    }

    /// <summary>
    /// The line of an event or dead letter as ASCII bytes, when every part of it is ASCII without
    /// control characters and it fits <paramref name="line"/> (keeping one byte for the new line);
    /// otherwise <see langword="false"/>, and the line is built as text.
    /// </summary>
    internal static bool TryWriteAsciiLine(PersistedRecord record, Span<byte> line, out int written)
    {
        written = 0;
        if (record is PersistedAudit || !TryUtcText(record.Timestamp, line, ref written))
        {
            return false;
        }

        Span<byte> rest = line[..^1];
        if (!Put(rest, ref written, "  "u8) || !TryFormatMilliseconds(record.Timestamp, rest[written..], out int digits))
        {
            return false;
        }

        written += digits;
        (string type, ActorAddress? address) = record is PersistedEvent e ? (e.EventType, e.ActorAddress) : (((PersistedDeadLetter)record).MessageType, ((PersistedDeadLetter)record).Target);
        if (!Put(rest, ref written, "  "u8) || !PutAscii(rest, ref written, type) || !Put(rest, ref written, "  "u8))
        {
            return false;
        }

        if (address is { } a)
        {
            if (!PutAscii(rest, ref written, a.System) || !Put(rest, ref written, ":"u8)
                || !System.Buffers.Text.Utf8Formatter.TryFormat(a.Id, rest[written..], out int idDigits))
            {
                return false;
            }

            written += idDigits;
        }
        else if (!Put(rest, ref written, "-"u8))
        {
            return false;
        }

        if (record is PersistedDeadLetter d && !Put(rest, ref written, d.ExpectsReply ? "  ask"u8 : "  tell"u8))
        {
            return false;
        }

        ReadOnlySpan<byte> payload = CompactPayload(record);
        if (!IsPrintableAscii(payload) || !Put(rest, ref written, "  "u8))
        {
            return false;
        }

        return payload.Length <= PayloadWidth
            ? Put(rest, ref written, payload)
            : Put(rest, ref written, payload[..(PayloadWidth - 1)]) && Put(rest, ref written, "…"u8);
    }

    // The payload as compact JSON: its stored text when that is what the writer would write, else written.
    private static ReadOnlySpan<byte> CompactPayload(PersistedRecord record)
    {
        ReadOnlySpan<byte> stored = StoredRecords.StoredPayloadUtf8(record);
        if (!stored.IsEmpty && RecordJsonWriter.IsWrittenAsIs(stored))
        {
            return stored;
        }

        var buffer = t_payloadBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_payloadWriter ??= new Utf8JsonWriter(buffer, CompactPayloadWriter);
        writer.Reset(buffer);
        StoredPayloadWriter.Write(writer, record);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> text) => !text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e);

    private static bool Put(Span<byte> line, ref int written, ReadOnlySpan<byte> bytes)
    {
        if (!bytes.TryCopyTo(line[written..]))
        {
            return false;
        }

        written += bytes.Length;
        return true;
    }

    private static bool PutAscii(Span<byte> line, ref int written, string text)
    {
        if (System.Text.Ascii.FromUtf16(text, line[written..], out int length) != System.Buffers.OperationStatus.Done
            || !IsPrintableAscii(line.Slice(written, length)))
        {
            return false;
        }

        written += length;
        return true;
    }

    /// <summary>
    /// The timestamp as <c>F3</c> formats it (invariant), without the general formatter when the
    /// rounding is certain: the product by 1000 and its exact error (a fused multiply-add) show how far
    /// the exact value lies from a half; near a half, a negative zero and beyond 2^53 the formatter writes it.
    /// </summary>
    internal static bool TryFormatMilliseconds(double timestamp, Span<byte> destination, out int written)
    {
        double product = timestamp * 1000;
        if (Math.Abs(product) < 9e15 && timestamp != 0)
        {
            double error = Math.FusedMultiplyAdd(timestamp, 1000, -product);
            double nearest = Math.Round(product);
            double distance = Math.Abs(product - nearest + error);
            if (distance < 0.499 && nearest != 0)
            {
                long thousandths = (long)nearest;
                ulong magnitude = (ulong)Math.Abs(thousandths);
                int at = 0;
                if (thousandths < 0)
                {
                    if (destination.IsEmpty)
                    {
                        written = 0;
                        return false;
                    }

                    destination[at++] = (byte)'-';
                }

                if (!System.Buffers.Text.Utf8Formatter.TryFormat(magnitude / 1000, destination[at..], out int whole) || destination.Length - at - whole < 4)
                {
                    written = 0;
                    return false;
                }

                at += whole;
                ulong fraction = magnitude % 1000;
                destination[at] = (byte)'.';
                destination[at + 1] = (byte)('0' + (fraction / 100));
                destination[at + 2] = (byte)('0' + (fraction / 10 % 10));
                destination[at + 3] = (byte)('0' + (fraction % 10));
                written = at + 4;
                return true;
            }
        }

        return timestamp.TryFormat(destination, out written, "F3", CultureInfo.InvariantCulture);
    }

    // "yyyy-MM-dd HH:mm:ss.fff" of the timestamp, as UtcText writes it; false when it has no calendar date.
    private static bool TryUtcText(double timestamp, Span<byte> line, ref int written)
    {
        if (!TrySplitMilliseconds(timestamp, out long second, out long fraction)
            || System.Text.Ascii.FromUtf16(SecondText(second), line[written..], out int length) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        written += length;
        if (line.Length - written < 4)
        {
            return false;
        }

        line[written] = (byte)'.';
        line[written + 1] = (byte)('0' + (fraction / 100));
        line[written + 2] = (byte)('0' + (fraction / 10 % 10));
        line[written + 3] = (byte)('0' + (fraction % 10));
        written += 4;
        return true;
    }

    internal static void WriteLineSlowly(Stream stdout, PersistedRecord record)
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
        => TrySplitMilliseconds(timestamp, out long second, out long fraction)
            ? string.Create(CultureInfo.InvariantCulture, $"{SecondText(second)}.{fraction:D3}")
            : "-";

    // The timestamp rounded to the millisecond, as whole seconds and milliseconds (0-999); false
    // when it has no calendar date.
    private static bool TrySplitMilliseconds(double timestamp, out long second, out long fraction)
    {
        double milliseconds = Math.Round(timestamp * 1000);
        if (!(milliseconds >= MinUnixMilliseconds && milliseconds <= MaxUnixMilliseconds))
        {
            second = fraction = 0;
            return false;
        }

        second = Math.DivRem((long)milliseconds, 1000, out fraction);
        if (fraction < 0)
        {
            second--;
            fraction += 1000;
        }

        return true;
    }

    // "yyyy-MM-dd HH:mm:ss" of a second; listings print records in time order, so it is made once per second.
    private static string SecondText(long second)
    {
        if (second != t_second || t_secondText is null)
        {
            t_secondText = DateTimeOffset.FromUnixTimeMilliseconds(second * 1000).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            t_second = second;
        }

        return t_secondText;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Address(ActorAddress? address) => address?.ToString() ?? "-";

    // Compact JSON, cut to the column's width: a payload read from a store is copied from its text
    // (StoredPayloadWriter), not parsed first.
    private static string Payload(PersistedRecord record)
    {
        string text = System.Text.Encoding.UTF8.GetString(CompactPayload(record));
        return text.Length <= PayloadWidth ? text : string.Concat(text.AsSpan(0, PayloadWidth - 1), "…");
    }
}
