using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MessagePack;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Tests.Codec;

/// <summary>
/// Writes a record as a MessagePack map with the NDJSON field names in NDJSON order, so the
/// MessagePack and JSON encodings hold the same document (a decoder can translate one into the other).
/// </summary>
internal static class ReferenceMessagePackRecordWriter
{
    /// <summary>Extension type holding a JSON number's exact text when float64 cannot carry it.</summary>
    public const sbyte JsonNumberExtension = 1;

    private const int MaxDepth = 64;

    // Field names are written as pre-encoded MessagePack strings: encoding them per record was a
    // measurable share of the append path.
    private static readonly byte[] KeyActorAddress = EncodeKey(RecordFieldNames.ActorAddress);

    private static readonly byte[] KeyAddressActorId = EncodeKey(RecordFieldNames.AddressActorId);

    private static readonly byte[] KeyAddressSystem = EncodeKey(RecordFieldNames.AddressSystem);

    private static readonly byte[] KeyAliveActors = EncodeKey(RecordFieldNames.AliveActors);

    private static readonly byte[] KeyDeadLettersCount = EncodeKey(RecordFieldNames.DeadLettersCount);

    private static readonly byte[] KeyEventType = EncodeKey(RecordFieldNames.EventType);

    private static readonly byte[] KeyExpectsReply = EncodeKey(RecordFieldNames.ExpectsReply);

    private static readonly byte[] KeyKind = EncodeKey(RecordFieldNames.Kind);

    private static readonly byte[] KeyMessageType = EncodeKey(RecordFieldNames.MessageType);

    private static readonly byte[] KeyPayload = EncodeKey(RecordFieldNames.Payload);

    private static readonly byte[] KeyRegistryDead = EncodeKey(RecordFieldNames.RegistryDead);

    private static readonly byte[] KeyRegistryOrphans = EncodeKey(RecordFieldNames.RegistryOrphans);

    private static readonly byte[] KeyRegistrySize = EncodeKey(RecordFieldNames.RegistrySize);

    private static readonly byte[] KeyRestartingActors = EncodeKey(RecordFieldNames.RestartingActors);

    private static readonly byte[] KeyStoppingActors = EncodeKey(RecordFieldNames.StoppingActors);

    private static readonly byte[] KeySystemId = EncodeKey(RecordFieldNames.SystemId);

    private static readonly byte[] KeyTarget = EncodeKey(RecordFieldNames.Target);

    private static readonly byte[] KeyTimestamp = EncodeKey(RecordFieldNames.Timestamp);

    private static readonly byte[] KeyTotalActors = EncodeKey(RecordFieldNames.TotalActors);

    private static readonly byte[][] KindNames =
    [
        EncodeKey(PersistedRecordKinds.Event),
        EncodeKey(PersistedRecordKinds.Audit),
        EncodeKey(PersistedRecordKinds.DeadLetter),
    ];

    public static void Write(ref MessagePackWriter writer, PersistedRecord record)
    {
        switch (record)
        {
            case PersistedEvent e:
                writer.WriteMapHeader(6);
                WriteCommon(ref writer, record);
                writer.WriteRaw(KeyActorAddress);
                WriteAddress(ref writer, e.ActorAddress);
                writer.WriteRaw(KeyEventType);
                writer.Write(e.EventType);
                writer.WriteRaw(KeyPayload);
                WriteJson(ref writer, e.Payload, 0);
                writer.WriteRaw(KeyTimestamp);
                writer.Write(e.Timestamp);
                break;
            case PersistedAudit a:
                writer.WriteMapHeader(11);
                WriteCommon(ref writer, record);
                writer.WriteRaw(KeyTimestamp);
                writer.Write(a.Timestamp);
                writer.WriteRaw(KeyTotalActors);
                writer.Write(a.TotalActors);
                writer.WriteRaw(KeyAliveActors);
                writer.Write(a.AliveActors);
                writer.WriteRaw(KeyStoppingActors);
                writer.Write(a.StoppingActors);
                writer.WriteRaw(KeyRestartingActors);
                writer.Write(a.RestartingActors);
                writer.WriteRaw(KeyRegistrySize);
                writer.Write(a.RegistrySize);
                writer.WriteRaw(KeyRegistryOrphans);
                WriteStrings(ref writer, a.RegistryOrphans);
                writer.WriteRaw(KeyRegistryDead);
                WriteStrings(ref writer, a.RegistryDead);
                writer.WriteRaw(KeyDeadLettersCount);
                writer.Write(a.DeadLettersCount);
                break;
            case PersistedDeadLetter d:
                writer.WriteMapHeader(7);
                WriteCommon(ref writer, record);
                writer.WriteRaw(KeyTarget);
                WriteAddress(ref writer, d.Target);
                writer.WriteRaw(KeyMessageType);
                writer.Write(d.MessageType);
                writer.WriteRaw(KeyPayload);
                WriteJson(ref writer, d.Payload, 0);
                writer.WriteRaw(KeyTimestamp);
                writer.Write(d.Timestamp);
                writer.WriteRaw(KeyExpectsReply);
                writer.Write(d.ExpectsReply);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }
    }

    private static void WriteCommon(ref MessagePackWriter writer, PersistedRecord record)
    {
        writer.WriteRaw(KeyKind);
        writer.WriteRaw(KindNames[(int)record.Kind]);
        writer.WriteRaw(KeySystemId);
        writer.Write(record.SystemId);
    }

    private static void WriteAddress(ref MessagePackWriter writer, ActorAddress? address)
    {
        if (address is not { } a)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteMapHeader(2);
        writer.WriteRaw(KeyAddressSystem);
        writer.Write(a.System);
        writer.WriteRaw(KeyAddressActorId);
        writer.Write(a.Id);
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        foreach (string value in values)
        {
            writer.Write(value);
        }
    }

    private static void WriteJson(ref MessagePackWriter writer, JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"A record payload is nested deeper than {MaxDepth} levels.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteMapHeader(element.GetPropertyCount());
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    WriteUtf8(ref writer, JsonMarshal.GetRawUtf8PropertyName(property), property.Name);
                    WriteJson(ref writer, property.Value, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteJson(ref writer, item, depth + 1);
                }

                break;
            case JsonValueKind.String:
                ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
                WriteUtf8(ref writer, raw[1..^1], null, element);
                break;
            case JsonValueKind.Number:
                WriteNumber(ref writer, element);
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    /// <summary>
    /// Writes a JSON string as a MessagePack string straight from the document's UTF-8 bytes when
    /// it has no escape sequences (the common case), without materialising a .NET string.
    /// </summary>
    private static void WriteUtf8(ref MessagePackWriter writer, ReadOnlySpan<byte> utf8, string? name, JsonElement element = default)
    {
        if (utf8.IndexOf((byte)'\\') < 0)
        {
            writer.WriteStringHeader(utf8.Length);
            writer.WriteRaw(utf8);
            return;
        }

        writer.Write(name ?? element.GetString());
    }

    private static void WriteNumber(ref MessagePackWriter writer, JsonElement element)
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
        string raw = element.GetRawText();
        if (element.TryGetDouble(out double number) && double.IsFinite(number)
            && string.Equals(number.ToString("R", CultureInfo.InvariantCulture), raw, StringComparison.Ordinal))
        {
            writer.Write(number);
            return;
        }

        byte[] text = System.Text.Encoding.UTF8.GetBytes(raw);
        writer.WriteExtensionFormat(new ExtensionResult(JsonNumberExtension, text));
    }

    private static byte[] EncodeKey(string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(32);
        var writer = new MessagePackWriter(buffer);
        writer.Write(name);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
