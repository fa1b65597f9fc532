using System.Buffers;
using System.Text;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

/// <summary>
/// The record writer must produce exactly the bytes of the general Utf8JsonWriter path, whether it
/// copies a payload's text or hands the payload (or a string) to a writer.
/// </summary>
public sealed class RecordJsonWriterTests
{
    private static readonly string[] Strings = ["local", "node-2.eu_west", "ActorStarted", "", "héllo", "q\"uote", "back\\slash", "tab\t", "😀", "<tag> & 'q'", "lone \ud800"];

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
    public void An_event_line_written_from_its_fields_is_the_line_of_the_record_with_those_fields()
    {
        int lines = 0;
        foreach (string system in Strings)
        {
            foreach (string type in Strings)
            {
                foreach (string? payloadText in (string?[])[null, .. Payloads])
                {
                    using JsonDocument? document = payloadText is null ? null : JsonDocument.Parse(payloadText);
                    foreach (JsonElement? payload in (JsonElement?[])[document?.RootElement, default(JsonElement)])
                    {
                        foreach (ActorAddress? address in Addresses)
                        {
                            double timestamp = Timestamps[lines % Timestamps.Length];
                            byte[] expected = PersistedRecordSerializer.SerializeLine(new PersistedEvent(system, address, type, payload, timestamp));
                            var buffer = new ArrayBufferWriter<byte>(16);
                            int count = RecordJsonWriter.WriteEventLine(buffer, system, address, type, payload, timestamp);
                            Assert.Equal(expected, buffer.WrittenSpan.ToArray());
                            Assert.Equal(expected.Length, count);
                            buffer.ResetWrittenCount();
                            RecordJsonWriter.WriteEventLine(buffer, system, address, type, payload, timestamp);
                            Assert.Equal(expected, buffer.WrittenSpan.ToArray()); // again, from the same thread's cached parts
                            lines++;
                        }
                    }
                }
            }
        }

        Assert.True(lines > 10_000, $"only {lines} lines compared");
    }

    [Fact]
    public void Every_line_it_writes_is_byte_for_byte_the_general_writers_line()
    {
        int copied = 0;
        int written = 0;
        foreach (PersistedRecord record in Records())
        {
            var buffer = new ArrayBufferWriter<byte>(64);
            int count = RecordJsonWriter.WriteLine(buffer, record);

            Assert.Equal(buffer.WrittenCount, count);
            Assert.Equal(General(record), Encoding.UTF8.GetString(buffer.WrittenSpan));
            if (record is PersistedEvent e && RecordJsonWriter.IsWrittenAsIs(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e.Payload)))
            {
                copied++;
            }
            else
            {
                written++;
            }
        }

        // Both payload paths must have been exercised for the comparison to mean anything.
        Assert.True(copied > 1000, $"only {copied} payloads were copied");
        Assert.True(written > 1000, $"only {written} payloads were written by the JSON writer");
    }

    [Fact]
    public void An_object_is_the_line_without_its_newline()
    {
        foreach (PersistedRecord record in Records().Take(500))
        {
            var buffer = new ArrayBufferWriter<byte>(16);
            int count = RecordJsonWriter.WriteObject(buffer, record);

            Assert.Equal(buffer.WrittenCount, count);
            Assert.Equal(General(record).TrimEnd('\n'), Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("\"esc\\u00e9\"")]
    [InlineData("{\n\"a\":1}")]
    public void Payloads_whose_stored_text_is_not_what_the_writer_would_write_are_rewritten(string json)
    {
        using JsonDocument payload = JsonDocument.Parse(json);
        var record = new PersistedEvent("local", new ActorAddress("local", 1), "E", payload.RootElement, 1);

        Assert.False(RecordJsonWriter.IsWrittenAsIs(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(payload.RootElement)));
        Assert.Equal(General(record), Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(record)));
    }

    [Theory]
    [InlineData("{\"a\":1,/*note*/\"b\":2}")]
    [InlineData("[1,2,]")]
    [InlineData("{\"a\":[1,],\"b\":{\"c\":1,},}")]
    [InlineData("{\"a\":1//x\n}")]
    public void Comments_and_trailing_commas_kept_in_a_documents_text_are_not_copied(string json)
    {
        using JsonDocument payload = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var record = new PersistedEvent("local", new ActorAddress("local", 1), "E", payload.RootElement, 1);

        Assert.False(RecordJsonWriter.IsWrittenAsIs(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(payload.RootElement)));
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

        Assert.Throws<InvalidOperationException>(() => General(record));
        Assert.Throws<InvalidOperationException>(() => PersistedRecordSerializer.SerializeLine(record));
    }

    [Fact]
    public void Audits_and_strings_that_need_escaping_are_written_as_the_general_writer_writes_them()
    {
        using JsonDocument payload = JsonDocument.Parse("{}");
        PersistedRecord[] records =
        [
            new PersistedAudit("local", 1, 0, 0, 0, 0, 0, [], [], 0),
            new PersistedAudit("lo\"cal", 1.25, 1, 2, 3, 4, 5, ["a\nb", "😀", "plain"], ["x\\y"], long.MaxValue),
            new PersistedEvent("local", null, "new\nline", payload.RootElement, 1),
            new PersistedDeadLetter("ctl\u0001", new ActorAddress("s", 1), "type\u001f", payload.RootElement, 2, expectsReply: false),
        ];
        foreach (PersistedRecord record in records)
        {
            Assert.Equal(General(record), Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(record)));
        }
    }

    [Theory]
    [InlineData(2, ' ', "\n")]
    [InlineData(4, ' ', "\r\n")]
    [InlineData(1, '\t', "\n")]
    public void Indented_records_are_byte_for_byte_what_an_indented_writer_writes(int size, char indent, string newLine)
    {
        var options = new JsonWriterOptions { Encoder = MinimalJsonEscaper.Instance, Indented = true, IndentSize = size, IndentCharacter = indent, NewLine = newLine };
        JsonIndentation indentation = JsonIndentation.For(options);
        int count = 0;
        foreach (PersistedRecord record in Records().Concat(Audits()))
        {
            // Alone (depth 0), and as the element of an array nested deeper than the cached depths.
            foreach (int depth in (int[])[0, 1, 20])
            {
                var expected = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(expected, options))
                {
                    for (int level = 0; level < depth; level++)
                    {
                        writer.WriteStartArray();
                    }

                    PersistedRecordSerializer.WriteObject(writer, record);
                }

                var actual = new ArrayBufferWriter<byte>(8);
                for (int level = 0; level < depth; level++)
                {
                    actual.Write("["u8);
                    indentation.WriteBreak(actual, level + 1);
                }

                int before = actual.WrittenCount;
                int written = RecordJsonWriter.WriteIndented(actual, record, indentation, depth);

                Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(actual.WrittenSpan));
                Assert.Equal(actual.WrittenCount - before, written);
                count++;
            }
        }

        Assert.True(count > 10_000, $"only {count} records were compared");
    }

    [Fact]
    public void Compact_json_is_indented_as_an_indented_writer_writes_the_parsed_value()
    {
        var options = new JsonWriterOptions { Encoder = MinimalJsonEscaper.Instance, Indented = true };
        JsonIndentation indentation = JsonIndentation.For(options);
        string deep = string.Concat(Enumerable.Repeat("{\"a\":[", 30)) + "1,{},[],\"x\\\"]}\"" + string.Concat(Enumerable.Repeat("]}", 30));
        foreach (string json in Payloads.Append(deep).Append("[[],{},[[]],[{}],\"\\\\\",{\"\":\"\"}]"))
        {
            using JsonDocument document = JsonDocument.Parse(json);
            var compact = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(compact, new JsonWriterOptions { Encoder = MinimalJsonEscaper.Instance }))
            {
                document.RootElement.WriteTo(writer);
            }

            var expected = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(expected, options))
            {
                document.RootElement.WriteTo(writer);
            }

            // A destination handing out small spans makes the indentation ask for room again and again.
            var actual = new ArrayBufferWriter<byte>(1);
            int written = indentation.Write(compact.WrittenSpan, actual, 0);

            Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(actual.WrittenSpan));
            Assert.Equal(actual.WrittenCount, written);
        }
    }

    [Fact]
    public void A_record_read_from_a_store_is_written_from_its_payload_text_as_the_general_writer_writes_it()
    {
        int records = 0;
        foreach (string json in Payloads)
        {
            byte[] text = Encoding.UTF8.GetBytes(json);
            foreach (PersistedRecord record in (PersistedRecord[])[
                StoredRecords.Event("local", new ActorAddress("local", 2), "E", text, 1.5),
                StoredRecords.DeadLetter("local", null, "M", text, 2.5, expectsReply: true)])
            {
                var buffer = new ArrayBufferWriter<byte>(16);
                RecordJsonWriter.WriteLine(buffer, record);
                Assert.Equal(General(record), Encoding.UTF8.GetString(buffer.WrittenSpan));
                records++;
            }
        }

        Assert.Equal(2 * Payloads.Length, records);
    }

    private static IEnumerable<PersistedRecord> Audits()
    {
        yield return new PersistedAudit("local", 1, 0, 0, 0, 0, 0, [], [], 0);
        yield return new PersistedAudit("lo\"cal", 1.25, 1, 2, 3, 4, 5, ["a\nb", "😀", "plain"], ["x\\y"], long.MaxValue);
        yield return new PersistedAudit("local", 3, 1, 2, 3, 4, 5, [], ["only"], 7);
    }

    private static IEnumerable<PersistedRecord> Records()
    {
        foreach (string json in Payloads)
        {
            yield return StoredRecords.Event("local", new ActorAddress("local", 7), "Stored", Encoding.UTF8.GetBytes(json), 3.25);
        }

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
