using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// The append hot path of <see cref="PersistedRecordSerializer"/>: writes an event or dead-letter
/// line straight into the buffer, byte for byte what the <see cref="Utf8JsonWriter"/> path writes,
/// for the records where that is easy to guarantee. It declines (returns <see langword="false"/>,
/// having written nothing) whenever a string needs escaping or is not plain ASCII, the payload's
/// stored text is not exactly what the writer would write for it (whitespace, comments, trailing
/// commas, escape sequences, invalid UTF-8, deeper than the writer allows), or the timestamp is not
/// finite; the caller then takes the general path.
/// </summary>
/// <remarks>
/// The payload is copied from its document's UTF-8 instead of being re-walked token by token:
/// <see cref="JsonElement.WriteTo(Utf8JsonWriter)"/> keeps numbers as written and re-escapes
/// strings, so for compact text without escape sequences the two are the same bytes. Serialising
/// was 90 % of the cost of a <see cref="PersistenceDurability.None"/> append.
/// </remarks>
internal static class FastRecordLineWriter
{
    // Utf8JsonWriter's default; the payload sits one level inside the record.
    private const int WriterMaxDepth = 1000;

    private const string Q = "\"";

    private static readonly byte[] EventHead = Bytes("{" + Q + RecordFieldNames.Kind + Q + ":" + Q + PersistedRecordKinds.Event + Q + "," + Q + RecordFieldNames.SystemId + Q + ":" + Q);
    private static readonly byte[] DeadLetterHead = Bytes("{" + Q + RecordFieldNames.Kind + Q + ":" + Q + PersistedRecordKinds.DeadLetter + Q + "," + Q + RecordFieldNames.SystemId + Q + ":" + Q);
    private static readonly byte[] ActorAddressField = Bytes(Q + "," + Q + RecordFieldNames.ActorAddress + Q + ":");
    private static readonly byte[] TargetField = Bytes(Q + "," + Q + RecordFieldNames.Target + Q + ":");
    private static readonly byte[] EventTypeField = Bytes("," + Q + RecordFieldNames.EventType + Q + ":" + Q);
    private static readonly byte[] MessageTypeField = Bytes("," + Q + RecordFieldNames.MessageType + Q + ":" + Q);
    private static readonly byte[] PayloadField = Bytes(Q + "," + Q + RecordFieldNames.Payload + Q + ":");
    private static readonly byte[] TimestampField = Bytes("," + Q + RecordFieldNames.Timestamp + Q + ":");
    private static readonly byte[] ExpectsReplyTrue = Bytes("," + Q + RecordFieldNames.ExpectsReply + Q + ":true");
    private static readonly byte[] ExpectsReplyFalse = Bytes("," + Q + RecordFieldNames.ExpectsReply + Q + ":false");
    private static readonly byte[] AddressHead = Bytes("{" + Q + RecordFieldNames.AddressSystem + Q + ":" + Q);
    private static readonly byte[] AddressIdField = Bytes(Q + "," + Q + RecordFieldNames.AddressActorId + Q + ":");

    private static readonly int FixedBytes =
        Math.Max(EventHead.Length, DeadLetterHead.Length) + Math.Max(ActorAddressField.Length, TargetField.Length) + AddressHead.Length + AddressIdField.Length + 1
        + Math.Max(EventTypeField.Length, MessageTypeField.Length) + PayloadField.Length + TimestampField.Length + ExpectsReplyFalse.Length;

    // Printable ASCII except the two characters JSON escapes.
    private static readonly SearchValues<char> PlainChars = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    // What compact JSON has outside strings: punctuation, numbers, true, false and null.
    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create("{}[]:,0123456789+-.eEtruefalsn"u8);

    /// <summary>Writes the record as one line (newline included) when it qualifies.</summary>
    /// <param name="record">The record.</param>
    /// <param name="destination">The buffer.</param>
    /// <param name="written">The number of bytes written.</param>
    /// <returns><see langword="true"/> when the line was written; otherwise nothing was written.</returns>
    public static bool TryWriteLine(PersistedRecord record, IBufferWriter<byte> destination, out int written)
    {
        switch (record)
        {
            case PersistedEvent e:
                return TryWrite(destination, EventHead, e.SystemId, ActorAddressField, e.ActorAddress, EventTypeField, e.EventType, e.Payload, e.Timestamp, expectsReply: null, out written);
            case PersistedDeadLetter d:
                return TryWrite(destination, DeadLetterHead, d.SystemId, TargetField, d.Target, MessageTypeField, d.MessageType, d.Payload, d.Timestamp, d.ExpectsReply, out written);
            default:
                written = 0;
                return false;
        }
    }

    private static bool TryWrite(
        IBufferWriter<byte> destination,
        byte[] head,
        string systemId,
        byte[] addressField,
        ActorAddress? address,
        byte[] typeField,
        string type,
        JsonElement payload,
        double timestamp,
        bool? expectsReply,
        out int written)
    {
        written = 0;
        if (!double.IsFinite(timestamp) || !IsPlain(systemId) || !IsPlain(type) || (address is { } a && !IsPlain(a.System)))
        {
            return false;
        }

        if (payload.ValueKind == JsonValueKind.Undefined)
        {
            return false;
        }

        ReadOnlySpan<byte> rawPayload = JsonMarshal.GetRawUtf8Value(payload);
        if (!IsWrittenAsIs(rawPayload))
        {
            return false;
        }

        // Every fixed part, the strings (ASCII, so one byte a character), the two numbers at their
        // longest (a long is at most 20 characters, a round-trip double at most 24), '}', '\n'.
        int bound = FixedBytes + systemId.Length + type.Length + (address?.System.Length ?? 0) + rawPayload.Length + 20 + 24 + 2;
        Span<byte> span = destination.GetSpan(bound);
        int at = 0;
        Append(span, ref at, head);
        at += Encoding.ASCII.GetBytes(systemId, span[at..]);
        Append(span, ref at, addressField);
        if (address is { } target)
        {
            Append(span, ref at, AddressHead);
            at += Encoding.ASCII.GetBytes(target.System, span[at..]);
            Append(span, ref at, AddressIdField);
            target.Id.TryFormat(span[at..], out int idLength, default, CultureInfo.InvariantCulture);
            at += idLength;
            span[at++] = (byte)'}';
        }
        else
        {
            Append(span, ref at, "null"u8);
        }

        Append(span, ref at, typeField);
        at += Encoding.ASCII.GetBytes(type, span[at..]);
        Append(span, ref at, PayloadField);
        Append(span, ref at, rawPayload);
        Append(span, ref at, TimestampField);

        // The format Utf8JsonWriter.WriteNumber(double) uses: shortest round-trip, invariant.
        at += ShortestDoubleFormatter.Format(timestamp, span[at..]);
        if (expectsReply is { } reply)
        {
            Append(span, ref at, reply ? ExpectsReplyTrue : ExpectsReplyFalse);
        }

        span[at++] = (byte)'}';
        span[at++] = (byte)'\n';
        destination.Advance(at);
        written = at;
        return true;
    }

    private static void Append(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    private static bool IsPlain(string value) => !value.AsSpan().ContainsAnyExcept(PlainChars);

    // The stored text is exactly what WriteTo writes with the minimal escaper when it has no escape
    // sequence (then every quote opens or closes a string), is valid UTF-8, keeps no trailing comma
    // (a document parsed with them allowed keeps them in its text; the writer drops them), is not
    // nested deeper than the writer allows (the writer rejects it), and has nothing outside strings
    // but punctuation, numbers and literals (no whitespace, no comments). Raw control characters
    // cannot be inside a parsed string, and the minimal escaper escapes nothing else there.
    private static bool IsWrittenAsIs(ReadOnlySpan<byte> raw)
    {
        if (raw.Contains((byte)'\\') || !Utf8.IsValid(raw) || raw.IndexOf(",]"u8) >= 0 || raw.IndexOf(",}"u8) >= 0)
        {
            return false;
        }

        if (raw.Length >= 2 * (WriterMaxDepth - 1) && raw.Count((byte)'{') + raw.Count((byte)'[') >= WriterMaxDepth - 1)
        {
            return false;
        }

        bool inString = false;
        while (true)
        {
            int quote = raw.IndexOf((byte)'"');
            ReadOnlySpan<byte> segment = quote < 0 ? raw : raw[..quote];
            if (!inString && segment.ContainsAnyExcept(TokenBytes))
            {
                return false;
            }

            if (quote < 0)
            {
                return !inString;
            }

            raw = raw[(quote + 1)..];
            inString = !inString;
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
