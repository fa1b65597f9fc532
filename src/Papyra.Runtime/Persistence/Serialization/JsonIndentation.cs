using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// The indentation of an indented <see cref="Utf8JsonWriter"/> (its new line, indent character and
/// size), applied without one: records are written indented by <see cref="RecordJsonWriter"/> with
/// this indentation's fixed bytes, and compact JSON text (a payload) is indented by <see cref="Write"/>
/// exactly as such a writer writes the same value: a new line and the depth's indentation before each
/// member and element and before a closing bracket, <c>": "</c> after a name, <c>{}</c> and <c>[]</c>
/// when empty. Tests hold both byte-for-byte equal to the writer's output.
/// </summary>
internal sealed class JsonIndentation
{
    private const int CachedDepths = 16;

    // What each byte of compact JSON is to the indentation: copied (0), or one of these.
    private const byte Quote = 1;
    private const byte Open = 2;
    private const byte Close = 3;
    private const byte Comma = 4;
    private const byte Colon = 5;

    private static readonly byte[] Classes = MakeClasses();

    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);

    private readonly string _newLine;

    private readonly string _indent;

    // For each depth: the new line followed by that depth's indentation.
    private readonly byte[][] _breaks;

    private readonly RecordJsonWriter.Layout[] _layouts = new RecordJsonWriter.Layout[CachedDepths];

    private JsonIndentation(JsonWriterOptions options)
    {
        _newLine = options.NewLine;
        _indent = new string(options.IndentCharacter, options.IndentSize);
        _breaks = new byte[CachedDepths][];
        for (int depth = 0; depth < CachedDepths; depth++)
        {
            _breaks[depth] = Encoding.UTF8.GetBytes(BreakText(depth));
        }
    }

    /// <summary>The indentation <paramref name="options"/> describe (meant to be made once and kept).</summary>
    public static JsonIndentation For(JsonWriterOptions options) => new(options);

    /// <summary>A new line and the indentation of <paramref name="depth"/>.</summary>
    public string BreakText(int depth)
    {
        var text = new StringBuilder(_newLine, _newLine.Length + (_indent.Length * depth));
        for (int level = 0; level < depth; level++)
        {
            text.Append(_indent);
        }

        return text.ToString();
    }

    /// <summary>Writes a new line and the indentation of <paramref name="depth"/>.</summary>
    public void WriteBreak(IBufferWriter<byte> output, int depth) => output.Write(Break(depth));

    /// <summary>The record writer's fixed bytes for a record at <paramref name="depth"/>.</summary>
    internal RecordJsonWriter.Layout RecordLayout(int depth)
    {
        if (depth >= CachedDepths)
        {
            return new RecordJsonWriter.Layout(this, depth);
        }

        return _layouts[depth] ??= new RecordJsonWriter.Layout(this, depth);
    }

    /// <summary>
    /// Writes <paramref name="compact"/>, one compact JSON value (no whitespace outside strings), as
    /// the value at <paramref name="depth"/>, indented; returns the number of bytes written.
    /// </summary>
    public int Write(ReadOnlySpan<byte> compact, IBufferWriter<byte> output, int depth)
    {
        // Each byte written grows to at most 2 bytes and a break; the room is checked as the text is written.
        int total = 0;
        Span<byte> span = output.GetSpan(compact.Length + 64);
        int at = 0;
        int i = 0;
        byte[] classes = Classes;
        while (i < compact.Length)
        {
            if (span.Length - at < 2 + _breaks[0].Length + (_indent.Length * (depth + 1)))
            {
                output.Advance(at);
                total += at;
                at = 0;
                span = output.GetSpan(compact.Length - i + 64 + _breaks[0].Length + (_indent.Length * (depth + 1)));
            }

            byte b = compact[i];
            switch (classes[b])
            {
                case 0:
                    span[at++] = b;
                    i++;
                    break;
                case Quote:
                    int length = StringLength(compact[i..]);
                    if (span.Length - at < length)
                    {
                        output.Advance(at);
                        total += at;
                        at = 0;
                        span = output.GetSpan(length + 64);
                    }

                    compact.Slice(i, length).CopyTo(span[at..]);
                    at += length;
                    i += length;
                    break;
                case Open:
                    span[at++] = b;
                    i++;
                    if (i < compact.Length && compact[i] == (byte)(b + 2))
                    {
                        // '{' + 2 is '}' and '[' + 2 is ']': an empty container stays on its line.
                        span[at++] = compact[i++];
                        break;
                    }

                    depth++;
                    at += CopyBreak(span[at..], depth);
                    break;
                case Close:
                    depth--;
                    at += CopyBreak(span[at..], depth);
                    span[at++] = b;
                    i++;
                    break;
                case Comma:
                    span[at++] = b;
                    i++;
                    at += CopyBreak(span[at..], depth);
                    break;
                default:
                    span[at++] = (byte)':';
                    span[at++] = (byte)' ';
                    i++;
                    break;
            }
        }

        output.Advance(at);
        return total + at;
    }

    // The length of the string starting at text[0] (a quote), both quotes included; escapes are skipped over.
    private static int StringLength(ReadOnlySpan<byte> text)
    {
        int at = 1;
        while (true)
        {
            int found = text[at..].IndexOfAny(StringEnd);
            if (found < 0)
            {
                throw new ArgumentException("The JSON text ends inside a string.", nameof(text));
            }

            at += found;
            if (text[at] == (byte)'"')
            {
                return at + 1;
            }

            at += 2;
        }
    }

    private static byte[] MakeClasses()
    {
        var classes = new byte[256];
        classes['"'] = Quote;
        classes['{'] = Open;
        classes['['] = Open;
        classes['}'] = Close;
        classes[']'] = Close;
        classes[','] = Comma;
        classes[':'] = Colon;
        return classes;
    }

    private byte[] Break(int depth) => depth < CachedDepths ? _breaks[depth] : Encoding.UTF8.GetBytes(BreakText(depth));

    private int CopyBreak(Span<byte> destination, int depth)
    {
        byte[] bytes = Break(depth);
        bytes.CopyTo(destination);
        return bytes.Length;
    }
}
