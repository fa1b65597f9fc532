using System.Buffers;
using System.Text;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

/// <summary>
/// The fast line writer must produce exactly the bytes of the general Utf8JsonWriter path, and
/// decline (writing nothing) whenever it cannot guarantee that.
/// </summary>
public sealed class FastRecordLineWriterTests
{
    private static readonly string[] Strings = ["local", "node-2.eu_west", "ActorStarted", "", "héllo", "q\"uote", "back\\slash", "tab\t", "😀", "<tag> & 'q'"];

    private static readonly string[] Payloads =
    [
        "{}", "[]", "null", "true", "false", "0", "-3e-7", "12345678901234567890", "1.5E+300",
        "\"plain\"", "\"with space\"", "\"é ✓ 日本 😀\"",
        "{\"seq\":1,\"reason\":\"benchmark\"}",
        "{\"k\":\"v\",\"n\":[1,2.5,-3e-7,null,true,false],\"o\":{\"x\":\"y z\",\"e\":[]}}",
        "{\"a\": 1}", "{ \"a\":1 }", "[1, 2]", "{\n  \"a\": \"b\"\n}", "\t\"x\"",
        "\"esc\\u00e9\"", "\"quote\\\"\"", "{\"a\\/b\":1}", "\"\\n\"",
    ];

    private static readonly double[] Timestamps = [0, 1, 1700000000.5, 1E-06, -12.25, 1e300, 1700000000.123456, double.Epsilon, 9007199254740993, -0.0];

    private static readonly ActorAddress?[] Addresses = [null, new ActorAddress("local", 1), new ActorAddress("node-2.eu_west", long.MaxValue), new ActorAddress("x", 9)];

    [Fact]
    public void Every_line_it_writes_is_byte_for_byte_the_general_writers_line()
    {
        int fast = 0;
        int declined = 0;
        foreach (PersistedRecord record in Records())
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            if (!FastRecordLineWriter.TryWriteLine(record, buffer, out int written))
            {
                Assert.Equal(0, buffer.WrittenCount);
                declined++;
                continue;
            }

            fast++;
            Assert.Equal(buffer.WrittenCount, written);
            Assert.Equal(General(record), Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        // Both branches must have been exercised for the comparison to mean anything.
        Assert.True(fast > 1000, $"only {fast} records took the fast path");
        Assert.True(declined > 1000, $"only {declined} records were declined");
    }

    [Fact]
    public void The_serializer_writes_the_same_lines_whichever_path_it_takes()
    {
        foreach (PersistedRecord record in Records())
        {
            Assert.Equal(General(record), Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(record)));
        }
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("\"esc\\u00e9\"")]
    [InlineData("{\n\"a\":1}")]
    public void It_declines_payloads_whose_stored_text_is_not_what_the_writer_would_write(string json)
    {
        using JsonDocument payload = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();

        Assert.False(FastRecordLineWriter.TryWriteLine(new PersistedEvent("local", new ActorAddress("local", 1), "E", payload.RootElement, 1), buffer, out _));
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Theory]
    [InlineData("{\"a\":1,/*note*/\"b\":2}")]
    [InlineData("[1,2,]")]
    [InlineData("{\"a\":[1,],\"b\":{\"c\":1,},}")]
    [InlineData("{\"a\":1//x\n}")]
    public void Comments_and_trailing_commas_kept_in_a_documents_text_take_the_general_path(string json)
    {
        using JsonDocument payload = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var record = new PersistedEvent("local", new ActorAddress("local", 1), "E", payload.RootElement, 1);

        Assert.False(FastRecordLineWriter.TryWriteLine(record, new ArrayBufferWriter<byte>(), out _));
        string line = Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(record));
        Assert.Equal(General(record), line);
        using JsonDocument reparsed = JsonDocument.Parse(line);
    }

    [Fact]
    public void A_payload_deeper_than_the_writer_allows_is_left_to_the_writer_to_reject()
    {
        string deep = new string('[', 1200) + new string(']', 1200);
        using JsonDocument payload = JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 2000 });
        var record = new PersistedEvent("local", null, "E", payload.RootElement, 1);

        Assert.False(FastRecordLineWriter.TryWriteLine(record, new ArrayBufferWriter<byte>(), out _));
        Assert.ThrowsAny<InvalidOperationException>(() => PersistedRecordSerializer.SerializeLine(record));
    }

    [Fact]
    public void It_declines_audits_and_strings_that_need_escaping()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var audit = new PersistedAudit("local", 1, 0, 0, 0, 0, 0, [], [], 0);
        using JsonDocument payload = JsonDocument.Parse("{}");

        Assert.False(FastRecordLineWriter.TryWriteLine(audit, buffer, out _));
        Assert.False(FastRecordLineWriter.TryWriteLine(new PersistedEvent("local", null, "new\nline", payload.RootElement, 1), buffer, out _));
        Assert.True(FastRecordLineWriter.TryWriteLine(new PersistedEvent("local", null, "plain", payload.RootElement, 1), buffer, out _));
    }

    private static IEnumerable<PersistedRecord> Records()
    {
        var documents = Payloads.Select(p => JsonDocument.Parse(p)).ToList();
        documents.Add(JsonSerializer.SerializeToDocument(new { text = "<tag> é", number = 1.25 }));
        foreach (JsonDocument document in documents)
        {
            JsonElement payload = document.RootElement;
            foreach (string text in Strings)
            {
                foreach (ActorAddress? address in Addresses)
                {
                    foreach (double timestamp in Timestamps)
                    {
                        yield return new PersistedEvent(text, address, text, payload, timestamp);
                        yield return new PersistedDeadLetter(text, address, text, payload, timestamp, expectsReply: timestamp > 1);
                    }
                }

                yield return new PersistedEvent("local", new ActorAddress(text.Length == 0 ? "s" : "local", 3), text, payload, 5);
            }
        }
    }

    private static string General(PersistedRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MinimalJsonEscaper.Instance }))
        {
            PersistedRecordSerializer.WriteObject(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
