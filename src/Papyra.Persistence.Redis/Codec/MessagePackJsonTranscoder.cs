using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Translates one MessagePack value into JSON, strictly: map keys must be strings, the only
/// extension is the JSON-number one, nesting is bounded, and nothing may follow the value.
/// Any violation throws <see cref="FormatException"/> (the entry is undecodable).
/// </summary>
internal static class MessagePackJsonTranscoder
{
    private const int MaxDepth = 64;

    public static void Transcode(ReadOnlyMemory<byte> messagePack, Utf8JsonWriter json)
    {
        var reader = new MessagePackReader(messagePack);
        try
        {
            Write(ref reader, json, 0);
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or JsonException or EndOfStreamException or OverflowException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"invalid MessagePack ({ex.Message})", ex);
        }

        if (!reader.End)
        {
            throw new FormatException("invalid MessagePack (bytes follow the record)");
        }
    }

    // The exact text of a JSON number, checked by a reader (no document is built for one number).
    private static void WriteNumberText(ReadOnlySequence<byte> data, Utf8JsonWriter json)
    {
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new FormatException("invalid MessagePack (a number extension does not hold a number)");
        }

        ReadOnlySpan<byte> number = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (reader.Read())
        {
            throw new FormatException("invalid MessagePack (a number extension does not hold a number)");
        }

        json.WriteRawValue(number, skipInputValidation: true);
    }

    private static void Write(ref MessagePackReader reader, Utf8JsonWriter json, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"invalid MessagePack (nested deeper than {MaxDepth} levels)");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    json.WriteNumberValue(reader.ReadUInt64());
                }
                else
                {
                    json.WriteNumberValue(reader.ReadInt64());
                }

                break;
            case MessagePackType.Float:
                double number = reader.NextCode == MessagePackCode.Float32 ? reader.ReadSingle() : reader.ReadDouble();
                if (!double.IsFinite(number))
                {
                    throw new FormatException("invalid MessagePack (a non-finite number has no JSON form)");
                }

                json.WriteNumberValue(number);
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Binary:
                ReadOnlySequence<byte>? bytes = reader.ReadBytes();
                json.WriteBase64StringValue(bytes is { } b ? b.ToArray() : []);
                break;
            case MessagePackType.Array:
                int items = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (int i = 0; i < items; i++)
                {
                    Write(ref reader, json, depth + 1);
                }

                json.WriteEndArray();
                break;
            case MessagePackType.Map:
                int entries = reader.ReadMapHeader();
                json.WriteStartObject();
                for (int i = 0; i < entries; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new FormatException("invalid MessagePack (a map key is not a string)");
                    }

                    json.WritePropertyName(reader.ReadString() ?? string.Empty);
                    Write(ref reader, json, depth + 1);
                }

                json.WriteEndObject();
                break;
            case MessagePackType.Extension:
                ExtensionResult extension = reader.ReadExtensionFormat();
                if (extension.TypeCode != MessagePackRecordWriter.JsonNumberExtension)
                {
                    throw new FormatException($"invalid MessagePack (unknown extension type {extension.TypeCode})");
                }

                WriteNumberText(extension.Data, json);
                break;
            default:
                throw new FormatException($"invalid MessagePack (unexpected code 0x{reader.NextCode:x2})");
        }
    }
}
