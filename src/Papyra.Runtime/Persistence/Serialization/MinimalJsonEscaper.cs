using System.Buffers;
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
    // What JSON itself requires escaping: control characters, quote, backslash.
    private static readonly SearchValues<char> MustEscapeChars = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\");

    private static readonly SearchValues<byte> MustEscapeBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, (byte)'"', (byte)'\\']);

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
        int escape = span.IndexOfAny(MustEscapeChars);
        int searchFrom = 0;
        while (true)
        {
            // Surrogates are fine in valid pairs; a lone one must be escaped.
            int surrogate = span[searchFrom..].IndexOfAnyInRange('\uD800', '\uDFFF');
            if (surrogate < 0)
            {
                return escape;
            }

            surrogate += searchFrom;
            if (escape >= 0 && escape < surrogate)
            {
                return escape;
            }

            if (char.IsHighSurrogate(span[surrogate]) && surrogate + 1 < span.Length && char.IsLowSurrogate(span[surrogate + 1]))
            {
                searchFrom = surrogate + 2;
                continue;
            }

            return surrogate;
        }
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
        => utf8Text.IndexOfAny(MustEscapeBytes); // valid UTF-8 never has bytes below 0x80 inside a multi-byte sequence

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
