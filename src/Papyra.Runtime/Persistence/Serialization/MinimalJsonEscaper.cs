using System.Text.Encodings.Web;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Escapes only what JSON requires (<c>"</c>, <c>\</c>, control characters and lone surrogates), so
/// every other character, including non-ASCII and characters above U+FFFF, is written as raw UTF-8.
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> still escapes supplementary characters
/// and a few others, which the format forbids (SPEC §5: "Non-ASCII is not escaped").
/// </summary>
internal sealed class MinimalJsonEscaper : JavaScriptEncoder
{
    public static MinimalJsonEscaper Instance { get; } = new();

    private MinimalJsonEscaper()
    {
    }

    // "\uXXXX" is the longest form written for one UTF-16 code unit.
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar)
        => unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || (unicodeScalar >= 0xD800 && unicodeScalar <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = new ReadOnlySpan<char>(text, textLength);
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            if (c < 0x20 || c == '"' || c == '\\')
            {
                return i;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }

            if (char.IsLowSurrogate(c))
            {
                return i;
            }
        }

        return -1;
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        // Callers pass valid UTF-8, so multi-byte sequences never contain bytes below 0x80.
        for (int i = 0; i < utf8Text.Length; i++)
        {
            byte b = utf8Text[i];
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\')
            {
                return i;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var destination = new Span<char>(buffer, bufferLength);
        ReadOnlySpan<char> shortForm = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };

        if (!shortForm.IsEmpty)
        {
            numberOfCharactersWritten = shortForm.Length;
            return shortForm.TryCopyTo(destination);
        }

        if (!WillEncode(unicodeScalar))
        {
            if (unicodeScalar > 0xFFFF)
            {
                numberOfCharactersWritten = 2;
                return destination.Length >= 2 && new System.Text.Rune(unicodeScalar).TryEncodeToUtf16(destination, out _);
            }

            numberOfCharactersWritten = 1;
            if (destination.IsEmpty)
            {
                return false;
            }

            destination[0] = (char)unicodeScalar;
            return true;
        }

        // Lower-case hex, as Python's encoder writes it.
        numberOfCharactersWritten = 6;
        return destination.Length >= 6
            && "\\u".TryCopyTo(destination)
            && unicodeScalar.TryFormat(destination[2..], out int written, "x4", System.Globalization.CultureInfo.InvariantCulture)
            && written == 4;
    }
}
