using System.Text.Json;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Writes a record's payload: a payload read from a store (kept as its text, see
/// <see cref="StoredRecords"/>) is copied token by token from that text, with the output exactly as
/// <see cref="JsonElement.WriteTo"/> would write the parsed element (the writer's indentation and
/// escaping, numbers as their original text), but without parsing it into a document first.
/// </summary>
internal static class StoredPayloadWriter
{
    // Deeper payloads (rare) go through the element: the copy tracks containers on the stack.
    private const int MaxCopiedContainers = 256;

    /// <summary>Writes the payload of an event or dead letter as the next value (its stored text is not parsed).</summary>
    public static void Write(Utf8JsonWriter writer, PersistedRecord record)
    {
        ReadOnlySpan<byte> stored = StoredRecords.StoredPayloadUtf8(record);
        if (stored.IsEmpty || !TryCopy(writer, stored))
        {
            JsonElement payload = record switch
            {
                PersistedEvent e => e.Payload,
                PersistedDeadLetter d => d.Payload,
                _ => throw new ArgumentException($"A {record.Kind} record has no payload.", nameof(record)),
            };
            payload.WriteTo(writer);
        }
    }

    /// <summary>
    /// Copies one JSON value (valid, as a validated line's field is) to the writer token by token;
    /// <see langword="false"/>, with nothing written, when it nests too deep to copy.
    /// </summary>
    public static bool TryCopy(Utf8JsonWriter writer, ReadOnlySpan<byte> json)
    {
        if (System.MemoryExtensions.Count(json, (byte)'[') + System.MemoryExtensions.Count(json, (byte)'{') > MaxCopiedContainers)
        {
            return false;
        }

        bool indented = writer.Options.Indented;
        Span<bool> inArray = stackalloc bool[MaxCopiedContainers + 1];
        int depth = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxCopiedContainers + 1 });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    writer.WriteStartObject();
                    inArray[++depth] = false;
                    break;
                case JsonTokenType.StartArray:
                    writer.WriteStartArray();
                    inArray[++depth] = true;
                    break;
                case JsonTokenType.EndObject:
                    writer.WriteEndObject();
                    depth--;
                    break;
                case JsonTokenType.EndArray:
                    writer.WriteEndArray();
                    depth--;
                    break;
                case JsonTokenType.PropertyName:
                    if (reader.ValueIsEscaped)
                    {
                        writer.WritePropertyName(reader.GetString()!);
                    }
                    else
                    {
                        writer.WritePropertyName(reader.ValueSpan);
                    }

                    break;
                case JsonTokenType.String:
                    if (reader.ValueIsEscaped)
                    {
                        writer.WriteStringValue(reader.GetString());
                    }
                    else
                    {
                        writer.WriteStringValue(reader.ValueSpan);
                    }

                    break;
                case JsonTokenType.Number:
                    WriteNumber(writer, reader.ValueSpan, indented && inArray[depth]);
                    break;
                case JsonTokenType.True:
                    writer.WriteBooleanValue(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBooleanValue(false);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }

        return true;
    }

    // A number keeps its text. WriteRawValue does not indent, so an indented array element that is
    // not a plain integer goes through a one-number element, which writes its text indented.
    private static void WriteNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> text, bool indentedArrayElement)
    {
        if (!indentedArrayElement)
        {
            writer.WriteRawValue(text, skipInputValidation: true);
            return;
        }

        if (text.Length <= 18 && IsPlainInteger(text) && System.Buffers.Text.Utf8Parser.TryParse(text, out long value, out int consumed) && consumed == text.Length)
        {
            writer.WriteNumberValue(value);
            return;
        }

        using JsonDocument number = JsonDocument.Parse(text.ToArray());
        number.RootElement.WriteTo(writer);
    }

    // Digits with an optional leading minus, not "-0": its long prints back to the same text.
    private static bool IsPlainInteger(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> digits = text[0] == (byte)'-' ? text[1..] : text;
        return !digits.IsEmpty && !System.MemoryExtensions.ContainsAnyExceptInRange(digits, (byte)'0', (byte)'9') && !(text[0] == (byte)'-' && digits is [(byte)'0']);
    }
}
