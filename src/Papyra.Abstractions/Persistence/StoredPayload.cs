using System.Text.Json;

namespace Papyra.Persistence;

/// <summary>
/// A payload read from a store kept as its UTF-8 JSON text: it is parsed into a
/// <see cref="JsonElement"/> only when first asked for, so a streaming read builds a record without
/// a JSON document per line, and a tool that writes the record out again copies the text. A record
/// holds the state in one field: the text (<see cref="T:byte[]"/>), then, once parsed, a
/// <see cref="Parsed"/>; <see langword="null"/> when the record was built from an element.
/// </summary>
internal static class StoredPayload
{
    // Payloads may nest as deep as the store allowed the whole line: the element is parsed without
    // a tighter limit than the line had.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 1 << 20 };

    /// <summary>The element: parsed from the text on first use (a race parses twice and keeps either equal element).</summary>
    public static JsonElement Element(ref object? state, JsonElement built)
    {
        switch (state)
        {
            case null:
                return built;
            case Parsed parsed:
                return parsed.Element;
            default:
                byte[] utf8 = (byte[])state;
                using (JsonDocument document = JsonDocument.Parse(utf8, ParseOptions))
                {
                    var done = new Parsed(utf8, document.RootElement.Clone());
                    state = done;
                    return done.Element;
                }
        }
    }

    /// <summary>The stored text, or empty when the record was built from an element.</summary>
    public static ReadOnlySpan<byte> Utf8(object? state) => state switch
    {
        byte[] utf8 => utf8,
        Parsed parsed => parsed.Utf8,
        _ => default,
    };

    /// <summary>The text and the element parsed from it.</summary>
    public sealed record Parsed(byte[] Utf8, JsonElement Element);
}
