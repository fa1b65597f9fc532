using System.Text;
using System.Text.Json;
using Papyra.Cli.Rendering;
using Papyra.Persistence;

namespace Papyra.Cli.Tests.Rendering;

/// <summary>
/// A listing's line of text is assembled as bytes when every part of it is printable ASCII; it must
/// be exactly the line the general path builds as text (which also makes control characters safe).
/// </summary>
public sealed class RecordLineTests
{
    private static readonly string[] Texts = ["ActorStarted", "local", "node-2.eu_west", "", "héllo", "tab\there", "bell\u0007", "del\u007f", "c1\u0085", "😀", "<tag> & 'q'"];

    private static readonly string[] Payloads =
    [
        "{}", "[]", "null", "true", "0", "-3e-7", "\"plain\"", "\"with space\"", "{\"seq\":1,\"reason\":\"benchmark\"}",
        "{\"a\": 1}", "[1, 2]", "\"esc\\u00e9\"", "\"quote\\\"\"", "\"\\u0007\"", "\"é ✓\"", "\"\\u007f\"",
        "{\"k\":\"v\",\"n\":[1,2.5,-3e-7,null,true,false],\"o\":{\"x\":\"y z\",\"e\":[]}}",
        "\"" + new string('x', 58) + "\"", "\"" + new string('x', 59) + "\"", "\"" + new string('x', 200) + "\"",
        "\"" + new string('x', 57) + "é\"",
    ];

    private static readonly double[] Timestamps = [0, 1, 1700000000.5, 1700000000.9995, -12.25, 1e300, -1e300, 1764370369.72963, 253402300799.999, -62135596800];

    [Fact]
    public void An_ascii_line_is_byte_for_byte_the_line_built_as_text()
    {
        int fast = 0;
        int slow = 0;
        foreach (PersistedRecord record in Records())
        {
            var general = new MemoryStream();
            RecordRenderer.WriteLineSlowly(general, record);
            var line = new byte[1024];
            if (RecordRenderer.TryWriteAsciiLine(record, line, out int written))
            {
                line[written] = (byte)'\n';
                Assert.Equal(Encoding.UTF8.GetString(general.ToArray()), Encoding.UTF8.GetString(line, 0, written + 1));
                fast++;
            }
            else
            {
                slow++;
            }
        }

        // Both ways must have been taken for the comparison to mean anything.
        Assert.True(fast > 500, $"only {fast} lines were assembled as bytes");
        Assert.True(slow > 500, $"only {slow} lines were built as text");
    }

    [Fact]
    public void Timestamps_are_written_as_the_F3_format_writes_them()
    {
        var random = new Random(20261202);
        var values = new List<double> { 0.0005, 0.0015, 0.0625, -0.0625, 0.9995, 1.0005, -0.0004, -0.0005, -0.0006, 1e-300, -1e-300, 4.5e15, 9.1e15, 9007199254740.993, 1764370369.0625, 1764370369.9995, 1764370369.72963 };
        for (int i = 0; i < 200_000; i++)
        {
            double seconds = 1.7e9 + (random.NextDouble() * 1e8);
            values.Add(seconds);
            values.Add(Math.Round(seconds, 3));
            values.Add(Math.Round(seconds * 1000) / 1000 + 0.0005);
            values.Add(-random.NextDouble() * Math.Pow(10, random.Next(-4, 14)));
            values.Add(random.NextDouble() * Math.Pow(10, random.Next(-4, 16)));
        }

        Span<byte> buffer = stackalloc byte[400];
        foreach (double value in values)
        {
            Assert.True(RecordRenderer.TryFormatMilliseconds(value, buffer, out int written));
            string expected = value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            string actual = Encoding.ASCII.GetString(buffer[..written]);
            Assert.True(expected == actual, $"{value:R}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void A_line_too_long_for_the_buffer_is_left_to_the_text_path()
    {
        PersistedRecord record = StoredRecords.Event("local", new ActorAddress("local", 1), new string('T', 2000), "{}"u8.ToArray(), 1);

        Assert.False(RecordRenderer.TryWriteAsciiLine(record, new byte[1024], out _));
    }

    private static IEnumerable<PersistedRecord> Records()
    {
        foreach (string json in Payloads)
        {
            byte[] stored = Encoding.UTF8.GetBytes(json);
            using JsonDocument parsed = JsonDocument.Parse(json);
            JsonElement element = parsed.RootElement.Clone();
            foreach (string text in Texts)
            {
                foreach (double timestamp in Timestamps)
                {
                    yield return StoredRecords.Event(text, new ActorAddress(text.Length == 0 ? "s" : "local", 7), text, stored, timestamp);
                    yield return StoredRecords.DeadLetter("local", null, text, stored, timestamp, expectsReply: timestamp > 1);
                    yield return new PersistedEvent("local", null, text, element, timestamp);
                    yield return new PersistedDeadLetter("local", new ActorAddress("local", long.MaxValue), text, element, timestamp, expectsReply: false);
                }
            }
        }

        yield return new PersistedAudit("local", 1, 1, 2, 3, 4, 5, [], [], 6);
    }
}
