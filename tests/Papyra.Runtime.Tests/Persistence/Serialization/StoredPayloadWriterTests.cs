using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Papyra.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

/// <summary>A payload copied from its stored text is written exactly as its parsed element writes itself.</summary>
public sealed class StoredPayloadWriterTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("\"text\"")]
    [InlineData("12.50")]
    [InlineData("-0")]
    [InlineData("1e-05")]
    [InlineData("{\"seq\":0,\"reason\":\"benchmark\"}")]
    [InlineData("{ \"spaced\" : [ 1 , 2.5 , -0 , 1E+3 , 123456789012345678901234567890 ] , \"b\" : { } }")]
    [InlineData("[[1,[2,[3.25]]],{\"a\":[true,false,null]},\"x\"]")]
    [InlineData("{\"\\u0061\":\"\\u00e9\\n\\\"\",\"<tag>\":\"a&b+'c'\",\"é\":\"🎉\"}")]
    [InlineData("{\"html\":\"<script>alert(1)</script>\",\"ctrl\":\"\\u0001\\t\"}")]
    [InlineData("[9223372036854775807,-9223372036854775808,99999999999999999999]")]
    public void Copies_as_the_element_writes_itself_in_every_writer_mode(string json)
    {
        JavaScriptEncoder[] encoders = [JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MinimalJsonEscaper.Instance];
        foreach (JavaScriptEncoder encoder in encoders)
        {
            foreach (bool indented in new[] { false, true })
            {
                var options = new JsonWriterOptions { Encoder = encoder, Indented = indented };
                using JsonDocument document = JsonDocument.Parse(json);
                string expected = Write(options, w => document.RootElement.WriteTo(w));
                string copied = Write(options, w => Assert.True(StoredPayloadWriter.TryCopy(w, Encoding.UTF8.GetBytes(json))));
                Assert.Equal(expected, copied);
            }
        }
    }

    [Fact]
    public void A_payload_nesting_deeper_than_the_copy_tracks_is_left_to_the_element_with_nothing_written()
    {
        string json = new string('[', 300) + new string(']', 300);
        string written = Write(new JsonWriterOptions { Indented = true }, w => Assert.False(StoredPayloadWriter.TryCopy(w, Encoding.UTF8.GetBytes(json))));
        Assert.Equal(string.Empty, written);
    }

    private static string Write(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options with { SkipValidation = true }))
        {
            // Inside an array and an object, as a record listing writes it.
            writer.WriteStartArray();
            writer.WriteStartObject();
            writer.WritePropertyName("payload");
            write(writer);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        string text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text == "[{\"payload\":}]" || text.Replace(" ", string.Empty).Replace("\n", string.Empty).Replace("\r", string.Empty) == "[{\"payload\":}]" ? string.Empty : text;
    }
}
