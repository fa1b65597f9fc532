using System.Buffers.Text;
using System.Text.Json;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// The first try on a line: the exact layout <see cref="RecordJsonWriter"/> writes for an event or a
/// dead letter (its fixed bytes, field by field, in its order), matched byte by byte, with only the
/// payload read by a <see cref="Utf8JsonReader"/>. Every byte is checked as the general validator
/// would: strings without escapes or control characters (the caller has checked the line's UTF-8),
/// an actor id of 1 to 18 digits, a timestamp by the JSON number grammar and finite, nothing after the
/// closing brace. Anything else (another order, spacing, escapes, audits, a payload the reader
/// rejects) goes on to the token pass, which gives the verdict; this only ever accepts lines that
/// pass finds valid, with the same fields (tests compare the two on the corpus and its damaged variants).
/// </summary>
internal sealed partial class StoredLineReader
{
    private const int MaxIdDigits = 18;

    private static readonly RecordJsonWriter.Layout Line = RecordJsonWriter.LineLayout;

    internal bool TryParseCanonical(ReadOnlySpan<byte> line, ref LineFields fields)
    {
        bool isEvent;
        int at;
        if (line.StartsWith(Line.EventHead))
        {
            isEvent = true;
            at = Line.EventHead.Length;
        }
        else if (line.StartsWith(Line.DeadLetterHead))
        {
            isEvent = false;
            at = Line.DeadLetterHead.Length;
        }
        else
        {
            return false;
        }

        if (!TakeString(line, ref at, out fields.SystemId) || !Take(line, ref at, isEvent ? Line.ActorAddressName : Line.TargetName))
        {
            return false;
        }

        AddressFields address = default;
        if (!Take(line, ref at, "null"u8))
        {
            if (!Take(line, ref at, Line.AddressHead) || !TakeString(line, ref at, out address.System)
                || !Take(line, ref at, Line.AddressActorIdName) || !TakeId(line, ref at, out address.Id)
                || !Take(line, ref at, Line.AddressEnd))
            {
                return false;
            }

            address.Shape = AddressShape.Object;
            address.HasId = true;
        }

        Span type;
        if (!Take(line, ref at, isEvent ? Line.EventTypeName : Line.MessageTypeName) || !TakeString(line, ref at, out type)
            || !Take(line, ref at, Line.PayloadName) || !TakePayload(line, ref at, out fields.Payload)
            || !Take(line, ref at, Line.TimestampName) || !TakeTimestamp(line, ref at, out fields.Timestamp))
        {
            return false;
        }

        if (isEvent)
        {
            fields.Kind = PersistedRecordKind.Event;
            fields.ActorAddress = address;
            fields.EventType = type;
        }
        else
        {
            if (!Take(line, ref at, Line.ExpectsReplyName))
            {
                return false;
            }

            if (Take(line, ref at, "true"u8))
            {
                fields.ExpectsReply = true;
            }
            else if (!Take(line, ref at, "false"u8))
            {
                return false;
            }

            fields.Kind = PersistedRecordKind.DeadLetter;
            fields.Target = address;
            fields.MessageType = type;
        }

        return Take(line, ref at, Line.End) && at == line.Length;
    }

    private static bool Take(ReadOnlySpan<byte> line, ref int at, ReadOnlySpan<byte> expected)
    {
        if (!line[at..].StartsWith(expected))
        {
            return false;
        }

        at += expected.Length;
        return true;
    }

    // A string without escapes or control characters: where its text lies.
    private static bool TakeString(ReadOnlySpan<byte> line, ref int at, out Span text)
    {
        text = default;
        if (at >= line.Length || line[at] != (byte)'"')
        {
            return false;
        }

        ReadOnlySpan<byte> rest = line[(at + 1)..];
        int end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[end] != (byte)'"' || rest[..end].IndexOfAnyInRange((byte)0, (byte)0x1f) >= 0)
        {
            return false;
        }

        text = new Span(at + 1, end);
        at += end + 2;
        return true;
    }

    // An actor id of 1 to 18 digits without a leading zero (so 1 or more, and a long).
    private static bool TakeId(ReadOnlySpan<byte> line, ref int at, out long id)
    {
        id = 0;
        int start = at;
        while (at < line.Length && (uint)(line[at] - '0') <= 9 && at - start < MaxIdDigits + 1)
        {
            id = (id * 10) + (line[at] - '0');
            at++;
        }

        int digits = at - start;
        return digits is > 0 and <= MaxIdDigits && line[start] != (byte)'0';
    }

    // One JSON value, validated by the reader as the token pass would (one level less deep: the
    // line's object holds it).
    private bool TakePayload(ReadOnlySpan<byte> line, ref int at, out Span payload)
    {
        payload = default;
        if (_options.MaxDepth < 2)
        {
            return false;
        }

        var reader = new Utf8JsonReader(line[at..], _payloadOptions);
        try
        {
            if (!reader.Read())
            {
                return false;
            }

            int start = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            payload = new Span(at + start, (int)reader.BytesConsumed - start);
            at += (int)reader.BytesConsumed;
            return start == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // A number by the JSON grammar, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, read as the reader
    // reads it and finite.
    private static bool TakeTimestamp(ReadOnlySpan<byte> line, ref int at, out double timestamp)
    {
        timestamp = 0;
        int start = at;
        int i = at;
        if (i < line.Length && line[i] == (byte)'-')
        {
            i++;
        }

        if (i >= line.Length || (uint)(line[i] - '0') > 9)
        {
            return false;
        }

        if (line[i] == (byte)'0')
        {
            i++;
        }
        else
        {
            i = Digits(line, i);
        }

        if (i < line.Length && line[i] == (byte)'.')
        {
            int fraction = Digits(line, i + 1);
            if (fraction == i + 1)
            {
                return false;
            }

            i = fraction;
        }

        if (i < line.Length && (line[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < line.Length && (line[i] == (byte)'+' || line[i] == (byte)'-'))
            {
                i++;
            }

            int exponent = Digits(line, i);
            if (exponent == i)
            {
                return false;
            }

            i = exponent;
        }

        ReadOnlySpan<byte> number = line[start..i];
        if (!Utf8Parser.TryParse(number, out timestamp, out int consumed) || consumed != number.Length || !double.IsFinite(timestamp))
        {
            return false;
        }

        at = i;
        return true;
    }

    private static int Digits(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && (uint)(line[i] - '0') <= 9)
        {
            i++;
        }

        return i;
    }
}
