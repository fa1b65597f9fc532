using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MessagePack;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Writes a record as a MessagePack map with the NDJSON field names in NDJSON order, so the
/// MessagePack and JSON encodings hold the same document (a decoder can translate one into the
/// other), with MessagePack-CSharp's <see cref="MessagePackWriter"/>.
/// </summary>
/// <remarks>
/// The constant head of each kind's map (map header, <c>kind</c>, the kind, <c>system_id</c>) and the
/// other field names are pre-encoded and written raw. The payload is written from its
/// <see cref="JsonElement"/>: strings from the document's UTF-8 without materialising .NET strings
/// when they hold no escape sequence, numbers as integers or float64 when those carry them exactly,
/// otherwise as their JSON text in extension type <see cref="JsonNumberExtension"/>.
/// </remarks>
internal static class MessagePackRecordWriter
{
    /// <summary>Extension type holding a JSON number's exact text when float64 cannot carry it.</summary>
    public const sbyte JsonNumberExtension = 1;

    private const int MaxDepth = 64;

    private static readonly byte[] EventHead = Head(6, PersistedRecordKinds.Event);
    private static readonly byte[] AuditHead = Head(11, PersistedRecordKinds.Audit);
    private static readonly byte[] DeadLetterHead = Head(7, PersistedRecordKinds.DeadLetter);
    private static readonly byte[] KeyActorAddress = Key(RecordFieldNames.ActorAddress);
    private static readonly byte[] KeyTarget = Key(RecordFieldNames.Target);
    private static readonly byte[] KeyEventType = Key(RecordFieldNames.EventType);
    private static readonly byte[] KeyMessageType = Key(RecordFieldNames.MessageType);
    private static readonly byte[] KeyPayload = Key(RecordFieldNames.Payload);
    private static readonly byte[] KeyTimestamp = Key(RecordFieldNames.Timestamp);
    private static readonly byte[] KeyExpectsReply = Key(RecordFieldNames.ExpectsReply);
    private static readonly byte[] AddressHead = [0x82, .. Key(RecordFieldNames.AddressSystem)];
    private static readonly byte[] KeyAddressActorId = Key(RecordFieldNames.AddressActorId);
    private static readonly byte[] KeyRegistryOrphans = Key(RecordFieldNames.RegistryOrphans);
    private static readonly byte[] KeyRegistryDead = Key(RecordFieldNames.RegistryDead);
    private static readonly byte[] KeyDeadLettersCount = Key(RecordFieldNames.DeadLettersCount);

    // An audit's counts, in NDJSON order after its timestamp.
    private static readonly byte[][] AuditCountKeys =
    [
        Key(RecordFieldNames.TotalActors),
        Key(RecordFieldNames.AliveActors),
        Key(RecordFieldNames.StoppingActors),
        Key(RecordFieldNames.RestartingActors),
        Key(RecordFieldNames.RegistrySize),
    ];

    /// <summary>Appends the record's MessagePack map to <paramref name="buffer"/>.</summary>
    /// <exception cref="ArgumentException">The payload is nested deeper than 64 levels, or the record type is unknown.</exception>
    public static void Write(IBufferWriter<byte> buffer, PersistedRecord record)
    {
        var writer = new MessagePackWriter(buffer);
        switch (record)
        {
            case PersistedEvent e:
                WriteMessage(ref writer, EventHead, e.SystemId, KeyActorAddress, e.ActorAddress, KeyEventType, e.EventType, e.Payload, e.Timestamp);
                break;
            case PersistedDeadLetter d:
                WriteMessage(ref writer, DeadLetterHead, d.SystemId, KeyTarget, d.Target, KeyMessageType, d.MessageType, d.Payload, d.Timestamp);
                writer.WriteRaw(KeyExpectsReply);
                writer.Write(d.ExpectsReply);
                break;
            case PersistedAudit a:
                WriteAudit(ref writer, a);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }

        writer.Flush();
    }

    // Events and dead letters share their first five fields: an address, a type name, the payload, the time.
    private static void WriteMessage(ref MessagePackWriter writer, byte[] head, string systemId, byte[] addressKey, ActorAddress? address, byte[] typeKey, string type, JsonElement payload, double timestamp)
    {
        writer.WriteRaw(head);
        writer.Write(systemId);
        writer.WriteRaw(addressKey);
        if (address is { } a)
        {
            writer.WriteRaw(AddressHead);
            writer.Write(a.System);
            writer.WriteRaw(KeyAddressActorId);
            writer.Write(a.Id);
        }
        else
        {
            writer.WriteNil();
        }

        writer.WriteRaw(typeKey);
        writer.Write(type);
        writer.WriteRaw(KeyPayload);
        WriteValue(ref writer, payload, 0);
        writer.WriteRaw(KeyTimestamp);
        writer.Write(timestamp);
    }

    private static void WriteAudit(ref MessagePackWriter writer, PersistedAudit audit)
    {
        writer.WriteRaw(AuditHead);
        writer.Write(audit.SystemId);
        writer.WriteRaw(KeyTimestamp);
        writer.Write(audit.Timestamp);
        ReadOnlySpan<long> counts = [audit.TotalActors, audit.AliveActors, audit.StoppingActors, audit.RestartingActors, audit.RegistrySize];
        for (int i = 0; i < counts.Length; i++)
        {
            writer.WriteRaw(AuditCountKeys[i]);
            writer.Write(counts[i]);
        }

        WriteStrings(ref writer, KeyRegistryOrphans, audit.RegistryOrphans);
        WriteStrings(ref writer, KeyRegistryDead, audit.RegistryDead);
        writer.WriteRaw(KeyDeadLettersCount);
        writer.Write(audit.DeadLettersCount);
    }

    private static void WriteStrings(ref MessagePackWriter writer, byte[] key, IReadOnlyList<string> values)
    {
        writer.WriteRaw(key);
        writer.WriteArrayHeader(values.Count);
        foreach (string? value in values)
        {
            writer.Write(value);
        }
    }

    private static void WriteValue(ref MessagePackWriter writer, JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"A record payload is nested deeper than {MaxDepth} levels.");
        }

        JsonValueKind kind = element.ValueKind;
        if (kind == JsonValueKind.Object)
        {
            writer.WriteMapHeader(element.GetPropertyCount());
            foreach (JsonProperty property in element.EnumerateObject())
            {
                ReadOnlySpan<byte> name = JsonMarshal.GetRawUtf8PropertyName(property);
                if (name.Contains((byte)'\\'))
                {
                    writer.Write(property.Name);
                }
                else
                {
                    writer.WriteString(name);
                }

                WriteValue(ref writer, property.Value, depth + 1);
            }
        }
        else if (kind == JsonValueKind.Array)
        {
            writer.WriteArrayHeader(element.GetArrayLength());
            foreach (JsonElement item in element.EnumerateArray())
            {
                WriteValue(ref writer, item, depth + 1);
            }
        }
        else
        {
            WriteScalar(ref writer, element, kind);
        }
    }

    private static void WriteScalar(ref MessagePackWriter writer, JsonElement element, JsonValueKind kind)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        if (kind == JsonValueKind.String)
        {
            // The document's UTF-8 as is when the string has no escape sequences (the common case).
            ReadOnlySpan<byte> text = raw[1..^1];
            if (text.Contains((byte)'\\'))
            {
                writer.Write(element.GetString());
            }
            else
            {
                writer.WriteString(text);
            }
        }
        else if (kind == JsonValueKind.Number)
        {
            WriteNumber(ref writer, element, raw);
        }
        else if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            writer.Write(kind == JsonValueKind.True);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static void WriteNumber(ref MessagePackWriter writer, JsonElement element, ReadOnlySpan<byte> raw)
    {
        if (element.TryGetInt64(out long integer))
        {
            writer.Write(integer);
            return;
        }

        if (element.TryGetUInt64(out ulong unsigned))
        {
            writer.Write(unsigned);
            return;
        }

        // A float64 carries the number when it prints back as the same text; otherwise (1.0,
        // 1E400, 0.10000000000000000001) the exact text goes in an extension so nothing changes.
        Span<byte> formatted = stackalloc byte[32];
        if (element.TryGetDouble(out double number) && double.IsFinite(number)
            && number.TryFormat(formatted, out int length, "R", CultureInfo.InvariantCulture)
            && formatted[..length].SequenceEqual(raw))
        {
            writer.Write(number);
            return;
        }

        writer.WriteExtensionFormatHeader(new ExtensionHeader(JsonNumberExtension, raw.Length));
        writer.WriteRaw(raw);
    }

    private static byte[] Head(int fields, string kind) => [(byte)(0x80 | fields), .. Key(RecordFieldNames.Kind), .. Key(kind), .. Key(RecordFieldNames.SystemId)];

    private static byte[] Key(string asciiName)
    {
        // Field names are short ASCII: a fixstr.
        if (asciiName.Length > 31 || !Ascii.IsValid(asciiName))
        {
            throw new InvalidOperationException($"Field name '{asciiName}' is not a short ASCII name.");
        }

        return [(byte)(0xa0 | asciiName.Length), .. Encoding.ASCII.GetBytes(asciiName)];
    }
}
