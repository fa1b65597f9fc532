using System.Globalization;
using System.Text.Json;
using MessagePack;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Writes a record as a MessagePack map with the NDJSON field names in NDJSON order, so the
/// MessagePack and JSON encodings hold the same document (a decoder can translate one into the other).
/// </summary>
internal static class MessagePackRecordWriter
{
    /// <summary>Extension type holding a JSON number's exact text when float64 cannot carry it.</summary>
    public const sbyte JsonNumberExtension = 1;

    private const int MaxDepth = 64;

    public static void Write(ref MessagePackWriter writer, PersistedRecord record)
    {
        switch (record)
        {
            case PersistedEvent e:
                writer.WriteMapHeader(6);
                WriteCommon(ref writer, record);
                writer.Write(RecordFieldNames.ActorAddress);
                WriteAddress(ref writer, e.ActorAddress);
                writer.Write(RecordFieldNames.EventType);
                writer.Write(e.EventType);
                writer.Write(RecordFieldNames.Payload);
                WriteJson(ref writer, e.Payload, 0);
                writer.Write(RecordFieldNames.Timestamp);
                writer.Write(e.Timestamp);
                break;
            case PersistedAudit a:
                writer.WriteMapHeader(11);
                WriteCommon(ref writer, record);
                writer.Write(RecordFieldNames.Timestamp);
                writer.Write(a.Timestamp);
                writer.Write(RecordFieldNames.TotalActors);
                writer.Write(a.TotalActors);
                writer.Write(RecordFieldNames.AliveActors);
                writer.Write(a.AliveActors);
                writer.Write(RecordFieldNames.StoppingActors);
                writer.Write(a.StoppingActors);
                writer.Write(RecordFieldNames.RestartingActors);
                writer.Write(a.RestartingActors);
                writer.Write(RecordFieldNames.RegistrySize);
                writer.Write(a.RegistrySize);
                writer.Write(RecordFieldNames.RegistryOrphans);
                WriteStrings(ref writer, a.RegistryOrphans);
                writer.Write(RecordFieldNames.RegistryDead);
                WriteStrings(ref writer, a.RegistryDead);
                writer.Write(RecordFieldNames.DeadLettersCount);
                writer.Write(a.DeadLettersCount);
                break;
            case PersistedDeadLetter d:
                writer.WriteMapHeader(7);
                WriteCommon(ref writer, record);
                writer.Write(RecordFieldNames.Target);
                WriteAddress(ref writer, d.Target);
                writer.Write(RecordFieldNames.MessageType);
                writer.Write(d.MessageType);
                writer.Write(RecordFieldNames.Payload);
                WriteJson(ref writer, d.Payload, 0);
                writer.Write(RecordFieldNames.Timestamp);
                writer.Write(d.Timestamp);
                writer.Write(RecordFieldNames.ExpectsReply);
                writer.Write(d.ExpectsReply);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }
    }

    private static void WriteCommon(ref MessagePackWriter writer, PersistedRecord record)
    {
        writer.Write(RecordFieldNames.Kind);
        writer.Write(PersistedRecordKinds.ToWireName(record.Kind));
        writer.Write(RecordFieldNames.SystemId);
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
        writer.Write(RecordFieldNames.AddressSystem);
        writer.Write(a.System);
        writer.Write(RecordFieldNames.AddressActorId);
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
                int count = 0;
                foreach (JsonProperty _ in element.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
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
                writer.Write(element.GetString());
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
}
