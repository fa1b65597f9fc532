using System.Text;
using System.Text.Json;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;
using Papyra.TestSupport;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

/// <summary>
/// The one-pass reader of streaming reads must give, for every line, the verdict and the record the
/// general reader gives (<see cref="PersistedRecordReader"/>): the shapes it reads itself and the
/// ones it hands over.
/// </summary>
public sealed class StoredLineReaderTests
{
    public static TheoryData<string> Lines()
    {
        var data = new TheoryData<string>
        {
            "",
            "   \t\r",
            "{\"kind\":\"event\",\"timestamp\":1",
            "{\"kind\":\"event\",\"timestamp\":1} {}",
            "{\"kind\":\"event\",\"timestamp\":1,}",
            "[1,2]",
            "null",
            "{\"timestamp\":1}",
            "{\"kind\":1,\"timestamp\":1}",
            "{\"kind\":{\"kind\":\"event\"},\"timestamp\":1}",
            "{\"kind\":\"metric\",\"timestamp\":1}",
            "{\"kind\":\"event\"}",
            "{\"kind\":\"event\",\"payload\":{\"timestamp\":1}}",
            "{\"kind\":\"event\",\"timestamp\":\"1\"}",
            "{\"kind\":\"event\",\"timestamp\":[1]}",
            "{\"kind\":\"event\",\"timestamp\":NaN}",
            "{\"kind\":\"event\",\"timestamp\":1e999}",
            "{\"kind\":\"event\",\"timestamp\":1}",
            "{\"kind\":\"event\",\"timestamp\":1}\r",
            "{\"kind\":\"\\u0065vent\",\"timestamp\":-1.5}",
            "{\"\\u006bind\":\"event\",\"\\u0074imestamp\":2}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\":{\"s\":\"NaN inside a string\",\"v\":NaN}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"timestamp\":\"x\"}",
            "{\"kind\":\"event\",\"timestamp\":\"x\",\"timestamp\":3}",
            "{\"kind\":\"audit\",\"kind\":\"event\",\"timestamp\":3,\"event_type\":\"A\"}",
            "{\"kind\":\"event\",\"system_id\":\"s1\",\"actor_address\":{\"system\":\"s1\",\"actor_id\":7},\"event_type\":\"ActorStarted\",\"payload\":{\"seq\":1,\"reason\":\"x\"},\"timestamp\":1764000000.1234567}",
            "{\"timestamp\":4,\"payload\":[1,{\"a\":[]}],\"event_type\":\"T\",\"actor_address\":\"s2:9\",\"system_id\":\"s2\",\"kind\":\"event\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":\"local://3\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":\"not an address\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"actor_id\":3,\"system\":\"local\"}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":\"local\",\"actor_id\":\"3\"}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":\"local\",\"actor_id\":0}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":\"local\",\"actor_id\":1.5}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":\"bad id!\",\"actor_id\":2}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":5,\"actor_id\":2}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":{\"x\":1},\"actor_id\":2}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":\"local\",\"actor_id\":2,\"system\":\"other\"}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"_address\":{\"system\":\"local\",\"actor_id\":2}}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"syst\\u0065m\":\"local\",\"actor_id\":2}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":[{\"system\":\"local\",\"actor_id\":2}]}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":null,\"event_type\":null,\"system_id\":7}",
            "{\"kind\":\"event\",\"timestamp\":1,\"actor_address\":{\"system\":\"a\",\"actor_id\":1},\"actor_address\":\"b:2\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\":null}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\":\"text\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\":12.50}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\":{\"a\":1},\"payload\":{\"b\":2}}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\" : { \"spaced\" : [ 1 , 2 ] } }",
            "{\"kind\":\"event\",\"timestamp\":1,\"system_id\":\"\",\"event_type\":\"\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"system_id\":\"\\u006cocal\",\"event_type\":\"E\\n\"}",
            "{\"kind\":\"event\",\"timestamp\":1,\"event_type\":\"héllo ✓ 🎉\",\"payload\":{\"emoji\":\"🎉\"}}",
            "{\"kind\":\"dead_letter\",\"timestamp\":2,\"target\":{\"system\":\"local\",\"actor_id\":4},\"message_type\":\"Ping\",\"payload\":\"p\",\"expects_reply\":true}",
            "{\"kind\":\"dead_letter\",\"timestamp\":2,\"target\":\"local:4\",\"message_type\":\"Ping\",\"expects_reply\":1}",
            "{\"kind\":\"dead_letter\",\"timestamp\":2,\"expects_reply\":true,\"expects_reply\":false}",
            "{\"kind\":\"dead_letter\",\"timestamp\":2,\"actor_address\":{\"system\":\"local\",\"actor_id\":4},\"event_type\":\"E\"}",
            "{\"kind\":\"event\",\"timestamp\":2,\"target\":{\"system\":\"local\",\"actor_id\":4},\"message_type\":\"M\"}",
            "{\"kind\":\"audit\",\"timestamp\":3,\"total_actors\":2,\"registry_dead\":[\"svc\",1]}",
            "{\"kind\":\"event\",\"timestamp\":1,\"payload\":" + new string('[', 200) + new string(']', 200) + "}",
            "{\"kind\":\"event\",\"timestamp\":1,\"other\":{\"kind\":\"audit\",\"timestamp\":\"x\"}}",
            "\uFEFF{\"kind\":\"event\",\"timestamp\":1}",
        };
        foreach (string file in new[] { "python-inputs.ndjson", "writer-output.ndjson" })
        {
            foreach (string line in File.ReadAllLines(Path.Combine(Approvals.ApiDirectory, "records", file)))
            {
                data.Add(line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Gives_the_general_readers_verdict_and_record(string text)
    {
        AssertSameAsGeneralReader(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void Gives_the_general_readers_verdict_for_damaged_variants_of_valid_lines()
    {
        // Deterministic damage: every truncation, and byte flips at every offset, of a few valid lines.
        string[] seeds =
        [
            "{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{\"system\":\"local\",\"actor_id\":1},\"event_type\":\"ActorStarted\",\"payload\":{\"seq\":0,\"reason\":\"benchmark\"},\"timestamp\":1764000000}",
            "{\"kind\":\"dead_letter\",\"system_id\":\"local\",\"target\":{\"system\":\"local\",\"actor_id\":2},\"message_type\":\"Ping\",\"payload\":[1,\"x\"],\"timestamp\":5.5,\"expects_reply\":true}",
        ];
        byte[] replacements = "\"{}[],:0\\ a\0\u00ff"u8.ToArray();
        int checkedLines = 0;
        foreach (string seed in seeds)
        {
            byte[] line = Encoding.UTF8.GetBytes(seed);
            for (int length = 0; length < line.Length; length++)
            {
                AssertSameAsGeneralReader(line.AsSpan(0, length).ToArray());
                checkedLines++;
            }

            for (int at = 0; at < line.Length; at++)
            {
                foreach (byte replacement in replacements)
                {
                    byte[] damaged = (byte[])line.Clone();
                    damaged[at] = replacement;
                    AssertSameAsGeneralReader(damaged);
                    AssertCanonicalMatchAgreesWithTokenPass(damaged);
                    checkedLines++;
                }
            }
        }

        Assert.True(checkedLines > 3000, $"only {checkedLines} variants were checked");
    }

    public static TheoryData<string> CanonicalLines()
    {
        const string Head = "{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{\"system\":\"local\",\"actor_id\":";
        var data = new List<string>();
        foreach (string id in (string[])["1", "7", "123456789012345678", "1234567890123456789", "0", "01", "-1", "1.5", "1e2", "\"1\"", ""])
        {
            data.Add(Head + id + "},\"event_type\":\"E\",\"payload\":{},\"timestamp\":1}");
        }

        foreach (string timestamp in (string[])["0", "-0", "1.5", "-1.25e-3", "1E+5", "1e400", "-1e400", "01", "1.", ".5", "1e", "1e+", "-", "+1", "1x", "NaN", "\"1\"", "1764000000.1234567", "4.9e-324", ""])
        {
            data.Add(Head + "1},\"event_type\":\"E\",\"payload\":null,\"timestamp\":" + timestamp + "}");
        }

        foreach (string payload in (string[])["{}", "[]", "null", "true", "false", "-0.5", "\"s\"", "\"esc\\n\\u00e9\"", "{\"a\":[1,{\"b\":null}]}", " {}", "{} ", "{\"a\":1,}", "[1,]", "{\"a\" : 1}", "tru", "\"\u0001\"", "{\"a\":NaN}",
            new string('[', 62) + new string(']', 62), new string('[', 63) + new string(']', 63), new string('[', 64) + new string(']', 64), ""])
        {
            data.Add(Head + "1},\"event_type\":\"E\",\"payload\":" + payload + ",\"timestamp\":2}");
            data.Add("{\"kind\":\"dead_letter\",\"system_id\":\"local\",\"target\":null,\"message_type\":\"M\",\"payload\":" + payload + ",\"timestamp\":3,\"expects_reply\":false}");
        }

        foreach (string text in (string[])["", "héllo 🎉", "tab\there", "del\u007f", "q\\\"uote", "back\\\\slash", "\\u0041"])
        {
            data.Add("{\"kind\":\"event\",\"system_id\":\"" + text + "\",\"actor_address\":{\"system\":\"" + text + "\",\"actor_id\":2},\"event_type\":\"" + text + "\",\"payload\":{},\"timestamp\":1}");
        }

        foreach (string tail in (string[])["}", "} ", "}\r", "}}", ",\"expects_reply\":true}", ""])
        {
            data.Add(Head + "1},\"event_type\":\"E\",\"payload\":{},\"timestamp\":1" + tail);
            data.Add("{\"kind\":\"dead_letter\",\"system_id\":\"local\",\"target\":{\"system\":\"local\",\"actor_id\":4},\"message_type\":\"M\",\"payload\":1,\"timestamp\":3,\"expects_reply\":true" + tail);
        }

        // Each line once (the id and tail lists share the plain event line): xunit drops repeated rows.
        return new TheoryData<string>(data.Distinct(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CanonicalLines))]
    public void Lines_of_the_writers_layout_and_their_near_misses_give_the_general_readers_verdict(string text)
    {
        AssertSameAsGeneralReader(Encoding.UTF8.GetBytes(text));
        AssertCanonicalMatchAgreesWithTokenPass(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void The_writers_layout_is_matched_with_the_fields_the_token_pass_finds()
    {
        int matched = 0;
        foreach (string file in new[] { "python-inputs.ndjson", "writer-output.ndjson" })
        {
            foreach (string line in File.ReadAllLines(Path.Combine(Approvals.ApiDirectory, "records", file)))
            {
                matched += AssertCanonicalMatchAgreesWithTokenPass(Encoding.UTF8.GetBytes(line)) ? 1 : 0;
            }
        }

        foreach (string row in CanonicalLines())
        {
            matched += AssertCanonicalMatchAgreesWithTokenPass(Encoding.UTF8.GetBytes(row)) ? 1 : 0;
        }

        // The comparison means something only if the layout is matched often.
        Assert.True(matched > 40, $"only {matched} lines were matched by the writer's layout");
    }

    // Whenever the layout match accepts a line, the token pass finds it valid with the same fields.
    private static bool AssertCanonicalMatchAgreesWithTokenPass(byte[] line)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            return false;
        }

        var reader = new StoredLineReader(PersistedRecordReader.MaxDepth);
        StoredLineReader.LineFields canonical = default;
        if (!reader.TryParseCanonical(line, ref canonical))
        {
            return false;
        }

        StoredLineReader.LineFields tokens = default;
        Assert.True(reader.TryParseFast(line, ref tokens) == RecordLineProblem.None, $"line {Show(line)}: matched by the layout but not valid to the token pass");
        Assert.True(canonical.Equals(tokens), $"line {Show(line)}: the layout match found other fields than the token pass");
        return true;
    }

    [Fact]
    public void A_payload_kept_as_text_reads_compares_and_copies_like_a_parsed_one()
    {
        byte[] line = "{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{\"system\":\"local\",\"actor_id\":3},\"event_type\":\"E\",\"payload\":{\"b\":[1,2],\"a\":\"x\"},\"timestamp\":9}"u8.ToArray();
        var reader = new StoredLineReader(PersistedRecordReader.MaxDepth);
        Assert.Equal(RecordLineProblem.None, reader.Parse(line, knownAscii: true, out StoredLineReader.LineFields fields));
        var lazy = (PersistedEvent)reader.Build(line, fields);

        Assert.Equal("{\"b\":[1,2],\"a\":\"x\"}", Encoding.UTF8.GetString(StoredRecords.StoredPayloadUtf8(lazy)));
        // The reference is the general reader's document path (TryRead itself now reads with this reader).
        PersistedRecord general = PersistedRecordReader.ReadDocument(line, PersistedRecordKind.Event, 9, PersistedRecordReader.MaxDepth);
        Assert.Equal(general, lazy);
        Assert.Equal(general.GetHashCode(), lazy.GetHashCode());
        Assert.Equal("x", lazy.Payload.GetProperty("a").GetString());
        PersistedEvent copy = lazy with { };
        Assert.Equal(JsonValueKind.Object, copy.Payload.ValueKind);
        Assert.Equal("{\"b\":[1,2],\"a\":\"x\"}", Encoding.UTF8.GetString(StoredRecords.StoredPayloadUtf8(copy)));
        Assert.Equal(lazy, copy);

        // Read from many threads at once, the text is parsed to one content.
        var again = (PersistedEvent)new StoredLineReader(PersistedRecordReader.MaxDepth).Build(line, fields);
        string[] seen = new string[16];
        Parallel.For(0, seen.Length, i => seen[i] = again.Payload.GetRawText());
        Assert.All(seen, s => Assert.Equal("{\"b\":[1,2],\"a\":\"x\"}", s));
    }

    private static void AssertSameAsGeneralReader(byte[] line)
    {
        RecordLineProblem expected = PersistedRecordReader.Validate(line, out PersistedRecordKind kind, out double timestamp);
        foreach (bool knownAscii in new[] { false, System.Text.Ascii.IsValid(line) })
        {
            var reader = new StoredLineReader(PersistedRecordReader.MaxDepth);
            RecordLineProblem actual = reader.Parse(line, knownAscii, out StoredLineReader.LineFields fields);
            Assert.True(expected == actual, $"line {Show(line)}: expected {expected}, got {actual}");
            if (expected != RecordLineProblem.None)
            {
                continue;
            }

            Assert.Equal(kind, fields.Kind);
            Assert.Equal(timestamp, fields.Timestamp);
            // The reference is the general reader's document path (TryRead itself now reads with this reader).
            PersistedRecord? general = PersistedRecordReader.ReadDocument(line, kind, timestamp, PersistedRecordReader.MaxDepth);
            PersistedRecord built = reader.Build(line, fields);
            Assert.True(Equals(general, built), $"line {Show(line)}: expected {general}, got {built}");

            // The filter's early answer never drops a record the request matches, and drops the
            // plain lines it does not match.
            foreach (PersistenceReadRequest request in Filters)
            {
                bool matches = request.Matches(general!);
                bool mayMatch = reader.MayMatch(line, fields, request);
                Assert.True(!matches || mayMatch, $"line {Show(line)}: MayMatch said no to a matching record ({request.Type}, {request.Actor})");
                if (!fields.General && general is PersistedEvent { EventType: "ActorStarted" } && request.Type == "Ping")
                {
                    Assert.False(mayMatch);
                }
            }
        }
    }

    private static readonly PersistenceReadRequest[] Filters =
    [
        new() { Type = "ActorStarted" },
        new() { Type = "Ping" },
        new() { Type = "E\n" },
        new() { Type = string.Empty },
        new() { Type = "héllo ✓ 🎉" },
        new() { Actor = new ActorAddress("local", 1) },
        new() { Actor = new ActorAddress("local", 2) },
        new() { Actor = new ActorAddress("local", 4) },
        new() { Actor = new ActorAddress("s1", 7) },
        new() { Actor = new ActorAddress("s2", 9) },
        new() { Actor = new ActorAddress("local", 3), Type = "E" },
        new() { Actor = new ActorAddress("b", 2) },
    ];

    private static string Show(byte[] line) => JsonSerializer.Serialize(Encoding.UTF8.GetString(line));
}
