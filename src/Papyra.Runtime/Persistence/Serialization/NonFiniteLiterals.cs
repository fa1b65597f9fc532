namespace Papyra.Persistence.Serialization;

/// <summary>
/// Python's encoder writes non-finite floats as the bare tokens <c>NaN</c>, <c>Infinity</c> and
/// <c>-Infinity</c>, which strict JSON readers reject. Lines holding them are rewritten (outside
/// strings only) to quote the tokens, so such a value reads back as the string <c>"NaN"</c> (the
/// convention of System.Text.Json's named floating-point literals) and the record stays valid.
/// </summary>
internal static class NonFiniteLiterals
{
    private static ReadOnlySpan<byte> NaN => "NaN"u8;

    private static ReadOnlySpan<byte> Infinity => "Infinity"u8;

    /// <summary>Quotes bare non-finite tokens; returns <see langword="null"/> when the line has none.</summary>
    public static byte[]? TryQuote(ReadOnlySpan<byte> line)
    {
        if (line.IndexOfAny((byte)'N', (byte)'I') < 0)
        {
            return null;
        }

        List<byte>? output = null;
        bool inString = false;
        byte previousSignificant = (byte)'[';
        int copiedUpTo = 0;
        for (int i = 0; i < line.Length; i++)
        {
            byte b = line[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                    previousSignificant = b;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
                continue;
            }

            if (b is (byte)' ' or (byte)'\t' or (byte)'\r')
            {
                continue;
            }

            bool valuePosition = previousSignificant is (byte)':' or (byte)'[' or (byte)',';
            int tokenLength = 0;
            if (valuePosition)
            {
                ReadOnlySpan<byte> rest = line[i..];
                if (rest.StartsWith(NaN))
                {
                    tokenLength = NaN.Length;
                }
                else if (rest.StartsWith(Infinity))
                {
                    tokenLength = Infinity.Length;
                }
                else if (rest.Length > 1 && rest[0] == (byte)'-' && rest[1..].StartsWith(Infinity))
                {
                    tokenLength = Infinity.Length + 1;
                }
            }

            if (tokenLength > 0)
            {
                output ??= new List<byte>(line.Length + 8);
                output.AddRange(line[copiedUpTo..i]);
                output.Add((byte)'"');
                output.AddRange(line.Slice(i, tokenLength));
                output.Add((byte)'"');
                i += tokenLength - 1;
                copiedUpTo = i + 1;
                previousSignificant = (byte)'"';
                continue;
            }

            previousSignificant = b;
        }

        if (output is null)
        {
            return null;
        }

        output.AddRange(line[copiedUpTo..]);
        return [.. output];
    }
}
