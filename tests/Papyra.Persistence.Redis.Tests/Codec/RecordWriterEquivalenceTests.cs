using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using Papyra.Persistence.Redis.Codec;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Tests.Codec;

/// <summary>
/// The entry writers against reference writers: MessagePack-CSharp's writer driven field by field
/// (<see cref="ReferenceMessagePackRecordWriter"/>, the first implementation) and the shared NDJSON
/// serializer through a <see cref="Utf8JsonWriter"/> with the records' one escaper (the <c>data</c>
/// field holds exactly a file's line without its newline). Byte for byte, over edge cases and
/// seeded random records; where the reference throws, the writer must throw the same exception type.
/// </summary>
public sealed class RecordWriterEquivalenceTests
{
    private static readonly JsonWriterOptions ReferenceJsonOptions = new()
    {
        Encoder = RecordJsonWriter.Escaper,
        Indented = false,
    };

    // What the data field's writer escaped with until the writers were unified: also characters
    // outside the BMP, U+2028/U+2029, DEL and C1 controls, unassigned code points.
    private static readonly JsonWriterOptions FormerJsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static TheoryData<string> EdgePayloads() =>
    [
        "{}",
        "[]",
        "null",
        "true",
        "false",
        "0",
        "\"\"",
        """{"reason":"normal","mailbox":"unbounded","restarts":0}""",
        """{ "reason" : "normal" , "restarts" : 0 }""",
        "{\n  \"reason\": \"normal\",\n  \"list\": [\n    1,\n    2\n  ]\n}",
        "\t[1,\r\n2]",
        """{"text":"with space and \"quotes\" and \\ backslash"}""",
        """{"e\u0301":"\u00e9\u20ac\ud83d\ude00","a\"b":"x\/y"}""",
        """{"lone":"\ud800","low":"\udc00x","\ud800key":1}""",
        "{\"a\":1,/* comment */\"b\":[1,2,],}",
        "{\"a\":1,/*c*/\"b\":[1,2]//c\n}",
        "{\"a\":[1,2,],\"b\":{\"c\":true,},\"d\":\",]\"}",
        "{\"url\":\"http://example.com/a?b=c\",\"n\":-1.5e+3}",
        """{"html":"<a href='x'>&amp;</a> + `tick`","del":"\u007f"}""",
        """{"nonascii":"héllo wörld € 😀 ü","sep":" "," key with spaces ":1}""",
        "{\"u2028\":\"a\u2028b\u2029c\",\"nbsp\":\"a\u00a0b\",\"bom\":\"\ufeff\",\"noncharacter\":\"\ufdd0\"}",
        """{"ints":[0,1,127,128,255,256,65535,65536,4294967295,4294967296,9223372036854775807,9223372036854775808,18446744073709551615,18446744073709551616]}""",
        """{"negatives":[-0,-1,-32,-33,-128,-129,-32768,-32769,-2147483648,-2147483649,-9223372036854775808,-9223372036854775809]}""",
        """{"floats":[1.5,0.1,-2.25,1.0,1.00,1.000000,1.00000000000000,1e0,1E0,1e400,-1e400,0.10000000000000000001,5e-324,1.7976931348623157e308,123456789012345678901234567890,1e21,1E+21,2.5e-7]}""",
        """{"fixext":[1.00,10.000,1.000000,1.00000000000000,1.0000000000000000000000000000000]}""",
        $$"""{"str31":"{{new string('a', 31)}}","str32":"{{new string('b', 32)}}","str255":"{{new string('c', 255)}}","str256":"{{new string('d', 256)}}","str65535":"{{new string('e', 65535)}}","str65536":"{{new string('f', 65536)}}"}""",
        $$"""{"{{new string('k', 40)}}":1,"{{new string('é', 200)}}":2}""",
        "{" + string.Join(',', Enumerable.Range(0, 15).Select(i => $"\"p{i}\":{i}")) + "}",
        "{" + string.Join(',', Enumerable.Range(0, 16).Select(i => $"\"p{i}\":{i}")) + "}",
        "{" + string.Join(',', Enumerable.Range(0, 70_000).Select(i => $"\"p{i}\":{i}")) + "}",
        "[" + string.Join(',', Enumerable.Range(0, 15)) + "]",
        "[" + string.Join(',', Enumerable.Range(0, 16)) + "]",
        "[" + string.Join(',', Enumerable.Range(0, 65_535)) + "]",
        "[" + string.Join(',', Enumerable.Range(0, 70_000)) + "]",
        "{\"a\":[" + string.Join(',', Enumerable.Range(0, 20)) + "],\"b\":{" + string.Join(',', Enumerable.Range(0, 300).Select(i => $"\"k{i}\":[{i},{{}},[]]")) + "},\"c\":\"/ not a comment\"}",
        new string('[', 60) + new string(']', 60),
        new string('[', 64) + "1" + new string(']', 64),
        new string('[', 65) + new string(']', 65),
        new string('[', 65) + "1" + new string(']', 65),
        new string('[', 66) + new string(']', 66),
    ];

    [Theory]
    [MemberData(nameof(EdgePayloads))]
    public void Edge_case_payloads_encode_to_the_bytes_of_the_reference_writers(string payload)
    {
        JsonElement element = Parse(payload);
        AssertSameBytes(new PersistedEvent("local", new ActorAddress("local", 7), "ActorStarted", element, 1_764_000_000.125));
        AssertSameBytes(new PersistedDeadLetter("local", null, "str", element, 972.54603936, expectsReply: true));
    }

    [Fact]
    public void Strings_the_encoder_escapes_and_lone_surrogates_encode_as_the_reference_writers_do()
    {
        string[] texts =
        [
            string.Empty,
            "plain",
            "with \"quote\" and \\ backslash",
            "control \u0001\u001f and \n\t\r",
            "<html> & 'apos' + `tick`",
            "héllo wörld € 😀",
            "line\u2028separator\u2029",
            "lone \ud800 high and \udc00 low",
            "del \u007f nbsp \u00a0 bom \ufeff",
            new string('x', 31),
            new string('y', 32),
            new string('z', 300),
            new string('é', 40_000),
        ];
        foreach (string text in texts)
        {
            AssertSameBytes(new PersistedEvent("local", new ActorAddress("local", 1), text, Parse("{}"), 1.5));
            AssertSameBytes(new PersistedDeadLetter("local", new ActorAddress("local", long.MaxValue), text, Parse("null"), -0.5));
            AssertSameBytes(new PersistedAudit("local", 2.0, 1, 1, 0, 0, 1, [text, "x", text], [], 0));
        }
    }

    [Fact]
    public void Audit_records_with_edge_counts_and_lists_encode_as_the_reference_writers_do()
    {
        int[] counts = [0, 1, 127, 128, 255, 256, 65535, 65536, int.MaxValue, -1, -32, -33, -129, -32769, int.MinValue];
        foreach (int count in counts)
        {
            AssertSameBytes(new PersistedAudit("local", 14.0, count, count, count, count, count, [], ["svc"], count));
        }

        AssertSameBytes(new PersistedAudit("local", 14.0, 1, 1, 1, 1, 1, null, null, long.MaxValue));
        AssertSameBytes(new PersistedAudit("local", 14.0, 1, 1, 1, 1, 1, null, null, long.MinValue));
        AssertSameBytes(new PersistedAudit("local", 14.0, 1, 1, 1, 1, 1, [.. Enumerable.Range(0, 16).Select(i => $"a{i}")], [.. Enumerable.Range(0, 70_000).Select(i => $"d{i}")], 4_294_967_296));
    }

    [Fact]
    public void Timestamps_format_exactly_as_the_serializer_formats_them()
    {
        var random = new Random(20261126);
        var timestamps = new List<double> { 0, -0.0, 12.5, 13.0, 972.54603936, 1e-7, 1e15, 1e16, 1e17, 1e21, 1e22, 123456789.123456789, 5e-324, double.MaxValue, double.MinValue, double.Epsilon };
        for (int i = 0; i < 20_000; i++)
        {
            timestamps.Add(1_700_000_000 + (random.NextDouble() * 100_000_000));
            double bits = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsFinite(bits))
            {
                timestamps.Add(bits);
            }
        }

        JsonElement payload = Parse("{}");
        foreach (double timestamp in timestamps)
        {
            var record = new PersistedEvent("local", null, "E", payload, timestamp);
            Assert.Equal(ReferenceJson(record), Encode(record, RedisRecordEncoding.Json));
        }
    }

    [Fact]
    public void Payloads_seen_again_encode_to_the_bytes_of_the_reference_writers()
    {
        // Repeated payloads are copied from the writer's cache after their second sight: texts of
        // one length that differ in a byte, one near the cached limit, one above it, in rotation.
        string[] texts =
        [
            """{"reason":"normal"}""",
            """{"reason":"abnorm"}""",
            "[1,2,3]",
            """{"n":1.5,"big":18446744073709551616}""",
            "{\"long\":\"" + new string('x', 240) + "\"}",
            "{\"longer\":\"" + new string('y', 300) + "\"}",
        ];
        for (int round = 0; round < 5; round++)
        {
            foreach (string text in texts)
            {
                AssertSameBytes(new PersistedEvent("local", new ActorAddress("local", round + 1), "ActorStopped", Parse(text), 1_764_000_000.5 + round));
            }
        }
    }

    [Fact]
    public void Seeded_random_records_encode_to_the_bytes_of_the_reference_writers()
    {
        var random = new Random(42);
        for (int i = 0; i < 3_000; i++)
        {
            var text = new StringBuilder();
            WriteRandomValue(random, text, 0, indented: random.Next(4) == 0);
            JsonElement payload = Parse(text.ToString());
            string type = RandomString(random);
            double timestamp = random.NextDouble() * Math.Pow(10, random.Next(-5, 20));
            ActorAddress? address = random.Next(5) == 0 ? null : new ActorAddress("sys" + random.Next(100), random.NextInt64(1, long.MaxValue));
            AssertSameBytes(new PersistedEvent("local", address, type, payload, timestamp));
            AssertSameBytes(new PersistedDeadLetter("local", address, type, payload, timestamp, random.Next(2) == 0));
        }
    }

    [Fact]
    public void A_payload_text_is_copied_only_when_it_is_what_the_json_writer_would_write()
    {
        Assert.True(RecordJsonWriter.IsWrittenAsIs("""{"a":"b c","n":[1,2.50,true,null]}"""u8));
        Assert.True(RecordJsonWriter.IsWrittenAsIs("""{"ü":"é €"}"""u8));

        // Non-ASCII is written raw, in files and in Redis alike.
        Assert.True(RecordJsonWriter.IsWrittenAsIs("""{"a":"😀"}"""u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs("""{"a": 1}"""u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs("{\n\"a\":1}"u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs("""{"a":1/*c*/}"""u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs("""{"a":[1,2,]}"""u8));
        Assert.True(RecordJsonWriter.IsWrittenAsIs("""{"a":"http://x/y"}"""u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs("""{"a":"\u00e9"}"""u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs("""{"a":"\u2028"}"""u8));
        Assert.True(RecordJsonWriter.IsWrittenAsIs("{\"a\":\"\u2028\"}"u8));
        Assert.False(RecordJsonWriter.IsWrittenAsIs([(byte)'"', 0xff, (byte)'"']));
    }

    [Fact]
    public void A_payload_nested_deeper_than_the_json_writer_allows_is_rejected_as_before()
    {
        const int Depth = 1000;
        using JsonDocument document = JsonDocument.Parse(new string('[', Depth) + new string(']', Depth), new JsonDocumentOptions { MaxDepth = 2 * Depth });
        var record = new PersistedEvent("local", null, "Deep", document.RootElement, 1);
        Assert.Throws<InvalidOperationException>(() => ReferenceJson(record));
        Assert.Throws<InvalidOperationException>(() => Encode(record, RedisRecordEncoding.Json));

        using JsonDocument allowed = JsonDocument.Parse(new string('[', Depth - 1) + new string(']', Depth - 1), new JsonDocumentOptions { MaxDepth = 2 * Depth });
        var shallower = new PersistedEvent("local", null, "Deep", allowed.RootElement, 1);
        Assert.Equal(ReferenceJson(shallower), Encode(shallower, RedisRecordEncoding.Json));
    }

    [Fact]
    public void Encoded_entries_decode_back_to_the_record()
    {
        var record = new PersistedEvent("local", new ActorAddress("local", 3), "ActorStarted", Parse("""{"reason":"normal","n":[1,1.5,1.0,"ü"]}"""), 1_764_000_000.125);
        foreach (RedisRecordEncoding encoding in new[] { RedisRecordEncoding.MessagePack, RedisRecordEncoding.Json })
        {
            var entry = new StackExchange.Redis.StreamEntry("1-0", RedisRecordCodec.EncodeEntry(record, encoding, out _));
            EntryDecodeResult decoded = RedisRecordCodec.Decode(entry);
            Assert.Null(decoded.Problem);
            Assert.Equal(Infrastructure.RecordText.Line(record), Infrastructure.RecordText.Line(decoded.Record!));
        }
    }

    [Fact]
    public void Entries_written_with_the_former_escaping_read_back_as_the_records_written_now()
    {
        string[] texts = ["héllo wörld € 😀", "line\u2028separator\u2029", "del \u007f nbsp \u00a0 bom \ufeff noncharacter \ufdd0"];
        foreach (string text in texts)
        {
            var record = new PersistedEvent("local", new ActorAddress("local", 1), text, Parse($$"""{"text":"{{text}}","n":1}"""), 1.5);
            byte[] former = ReferenceJson(record, FormerJsonOptions);
            byte[] now = Encode(record, RedisRecordEncoding.Json);
            Assert.NotEqual(former, now);

            EntryDecodeResult formerDecoded = RedisRecordCodec.Decode(new StackExchange.Redis.StreamEntry("1-0", [new StackExchange.Redis.NameValueEntry(RedisEntryFields.Json, former)]));
            EntryDecodeResult nowDecoded = RedisRecordCodec.Decode(new StackExchange.Redis.StreamEntry("1-0", [new StackExchange.Redis.NameValueEntry(RedisEntryFields.Json, now)]));
            Assert.Null(formerDecoded.Problem);
            Assert.Null(nowDecoded.Problem);
            Assert.Equal(Infrastructure.RecordText.Line(nowDecoded.Record!), Infrastructure.RecordText.Line(formerDecoded.Record!));
            Assert.Equal(Infrastructure.RecordText.Line(record), Infrastructure.RecordText.Line(formerDecoded.Record!));
        }
    }

    private static void AssertSameBytes(PersistedRecord record)
    {
        AssertSame(() => ReferenceMessagePack(record), () => Encode(record, RedisRecordEncoding.MessagePack));
        AssertSame(() => ReferenceJson(record), () => Encode(record, RedisRecordEncoding.Json));

        // Appends encode straight into this thread's payload slab: the same bytes.
        AssertSame(() => ReferenceMessagePack(record), () => EncodeForAppend(record, RedisRecordEncoding.MessagePack));
        AssertSame(() => ReferenceJson(record), () => EncodeForAppend(record, RedisRecordEncoding.Json));
    }

    private static void AssertSame(Func<byte[]> reference, Func<byte[]> actual)
    {
        byte[] expected;
        try
        {
            expected = reference();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            Assert.Throws(ex.GetType(), () => actual());
            return;
        }

        byte[] bytes = actual();
        if (!expected.AsSpan().SequenceEqual(bytes))
        {
            int at = expected.AsSpan().CommonPrefixLength(bytes);
            Assert.Fail($"bytes differ at {at} of {expected.Length}/{bytes.Length}: expected ...{Convert.ToHexString(expected.AsSpan(Math.Max(0, at - 8), Math.Min(24, expected.Length - Math.Max(0, at - 8))))}, got ...{Convert.ToHexString(bytes.AsSpan(Math.Max(0, at - 8), Math.Min(24, bytes.Length - Math.Max(0, at - 8))))}");
        }
    }

    private static byte[] Encode(PersistedRecord record, RedisRecordEncoding encoding)
    {
        RedisRecordCodec.Encode(record, encoding, out byte[] payload);
        return payload;
    }

    private static byte[] EncodeForAppend(PersistedRecord record, RedisRecordEncoding encoding)
    {
        RedisRecordCodec.EncodeForAppend(record, encoding, out ReadOnlyMemory<byte> payload, out PayloadSlab? slab);
        byte[] bytes = payload.ToArray();
        slab?.Release();
        return bytes;
    }

    private static byte[] ReferenceMessagePack(PersistedRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        ReferenceMessagePackRecordWriter.Write(ref writer, record);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] ReferenceJson(PersistedRecord record) => ReferenceJson(record, ReferenceJsonOptions);

    private static byte[] ReferenceJson(PersistedRecord record, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            PersistedRecordSerializer.WriteObject(writer, record);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonElement Parse(string json)
    {
        // Comments and trailing commas stay in an element's text: the writers must not copy them.
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 200, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.Clone();
    }

    private static void WriteRandomValue(Random random, StringBuilder text, int depth, bool indented)
    {
        string space = indented ? (random.Next(2) == 0 ? " " : "\n  ") : string.Empty;
        switch (random.Next(depth > 4 ? 5 : 8))
        {
            case 0: text.Append(random.Next(3) switch { 0 => "null", 1 => "true", _ => "false" }); break;
            case 1: text.Append(random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture)); break;
            case 2: text.Append(RandomNumberText(random)); break;
            case 3:
            case 4: WriteJsonString(random, text, RandomString(random)); break;
            case 5:
            case 6:
                text.Append('{').Append(space);
                int properties = random.Next(random.Next(10) == 0 ? 20 : 5);
                for (int i = 0; i < properties; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',').Append(space);
                    }

                    WriteJsonString(random, text, RandomString(random) + i.ToString(CultureInfo.InvariantCulture));
                    text.Append(':').Append(space);
                    WriteRandomValue(random, text, depth + 1, indented);
                }

                text.Append(space).Append('}');
                break;
            default:
                text.Append('[').Append(space);
                int items = random.Next(random.Next(10) == 0 ? 20 : 5);
                for (int i = 0; i < items; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',').Append(space);
                    }

                    WriteRandomValue(random, text, depth + 1, indented);
                }

                text.Append(space).Append(']');
                break;
        }
    }

    private static string RandomNumberText(Random random) => random.Next(6) switch
    {
        0 => (random.NextDouble() * 1000).ToString("R", CultureInfo.InvariantCulture),
        1 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture) + ".0",
        2 => random.Next(1, 9).ToString(CultureInfo.InvariantCulture) + "e" + random.Next(-400, 400).ToString(CultureInfo.InvariantCulture),
        3 => "1" + new string('0', random.Next(18, 30)),
        4 => "-" + random.NextDouble().ToString("F" + random.Next(1, 25).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        _ => BitConverter.Int64BitsToDouble(random.NextInt64()) is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0.5",
    };

    private static readonly string[] Pieces = ["a", "Z", "9", " ", "\"", "\\", "/", "<", ">", "&", "'", "+", "`", "\u0001", "\u001f", "\n", "\u007f", "é", "€", "😀", "\u2028", "\u00a0", "\ufeff", "\ufffd", "ü", "中"];

    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        int length = random.Next(random.Next(8) == 0 ? 60 : 12);
        for (int i = 0; i < length; i++)
        {
            // Mostly plain ASCII, as real payloads are.
            text.Append(random.Next(3) == 0 ? Pieces[random.Next(Pieces.Length)] : Pieces[random.Next(4)]);
        }

        return text.ToString();
    }

    private static void WriteJsonString(Random random, StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            bool mustEscape = c is '"' or '\\' or < ' ';
            if (mustEscape || (!char.IsSurrogate(c) && random.Next(15) == 0))
            {
                text.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' when random.Next(2) == 0 => "\\n",
                    '/' when random.Next(2) == 0 => "\\/",
                    _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                });
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}
