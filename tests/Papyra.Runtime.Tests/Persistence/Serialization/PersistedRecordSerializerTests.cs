using System.Text;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

public sealed class PersistedRecordSerializerTests
{
    [Theory]
    [InlineData("héllo")]
    [InlineData("日本語")]
    [InlineData("😀 U+1F600 above U+FFFF")]
    [InlineData("𝄞 music")]
    [InlineData("<tag> & 'apostrophe' + plus `tick`")]
    [InlineData("\u2028 line separator \u00a0 nbsp")]
    public void Non_ascii_and_html_sensitive_characters_are_written_raw(string text)
    {
        using JsonDocument payload = JsonDocument.Parse(JsonSerializer.Serialize(text));
        string line = Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(new PersistedDeadLetter("local", null, "String", payload.RootElement, 1)));

        Assert.Contains(text, line, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_quotes_backslashes_and_control_characters_are_escaped()
    {
        using JsonDocument payload = JsonDocument.Parse("\"q\\\" b\\\\ n\\n t\\t c\\u0001\"");
        string line = Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(new PersistedDeadLetter("local", null, "String", payload.RootElement, 1)));

        Assert.Contains("\"payload\":\"q\\\" b\\\\ n\\n t\\t c\\u0001\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_are_compact_kind_first_and_newline_terminated()
    {
        string line = Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(new PersistedEvent("local", new ActorAddress("local", 1), "ActorStarted", null, 12.5)));

        Assert.Equal("{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{\"system\":\"local\",\"actor_id\":1},\"event_type\":\"ActorStarted\",\"payload\":{},\"timestamp\":12.5}\n", line);
    }

    [Fact]
    public void A_lone_surrogate_in_a_string_still_produces_valid_json()
    {
        var record = new PersistedEvent("local", null, "Bad\uD800Text", null, 1);

        byte[] line = PersistedRecordSerializer.SerializeLine(record);

        Assert.Equal(RecordLineProblem.None, PersistedRecordReader.Validate(line.AsSpan(0, line.Length - 1)));
    }

    [Fact]
    public void A_repeated_string_is_escaped_by_each_writers_own_encoder()
    {
        // The same string objects go to writers with different encoders, one after the other: the
        // encoded forms kept for repeated strings must not leak from one encoder to the other.
        string type = "A<b>+&'c";
        var record = new PersistedEvent("sys-1", new ActorAddress("sys-1", 2), type, null, 1);
        string Write(System.Text.Encodings.Web.JavaScriptEncoder encoder)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
            {
                PersistedRecordSerializer.WriteObject(writer, record);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        for (int round = 0; round < 2; round++)
        {
            Assert.Contains("\"event_type\":\"A\\u003Cb\\u003E\\u002B\\u0026\\u0027c\"", Write(System.Text.Encodings.Web.JavaScriptEncoder.Default), StringComparison.Ordinal);
            Assert.Contains("\"event_type\":\"A<b>+&'c\"", Write(System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping), StringComparison.Ordinal);
        }
    }
}
