using System.Text;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

public sealed class PersistedRecordReaderTests
{
    [Theory]
    [InlineData("", RecordLineProblem.Blank)]
    [InlineData("   \t\r", RecordLineProblem.Blank)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1", RecordLineProblem.MalformedJson)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1} {}", RecordLineProblem.MalformedJson)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1,}", RecordLineProblem.MalformedJson)]
    [InlineData("{'kind':'event','timestamp':1}", RecordLineProblem.MalformedJson)]
    [InlineData("[1,2]", RecordLineProblem.NotAnObject)]
    [InlineData("null", RecordLineProblem.NotAnObject)]
    [InlineData("\"event\"", RecordLineProblem.NotAnObject)]
    [InlineData("{\"timestamp\":1}", RecordLineProblem.MissingKind)]
    [InlineData("{\"kind\":1,\"timestamp\":1}", RecordLineProblem.MissingKind)]
    [InlineData("{\"kind\":\"metric\",\"timestamp\":1}", RecordLineProblem.UnknownKind)]
    [InlineData("{\"kind\":\"Event\",\"timestamp\":1}", RecordLineProblem.UnknownKind)]
    [InlineData("{\"kind\":\"event\"}", RecordLineProblem.MissingTimestamp)]
    [InlineData("{\"kind\":\"event\",\"payload\":{\"timestamp\":1}}", RecordLineProblem.MissingTimestamp)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":\"1\"}", RecordLineProblem.NonNumericTimestamp)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":null}", RecordLineProblem.NonNumericTimestamp)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":NaN}", RecordLineProblem.NonNumericTimestamp)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1e999}", RecordLineProblem.NonNumericTimestamp)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1}", RecordLineProblem.None)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1}\r", RecordLineProblem.None)]
    [InlineData("{\"kind\":\"\\u0065vent\",\"timestamp\":-1.5}", RecordLineProblem.None)]
    [InlineData("{\"\\u006bind\":\"event\",\"\\u0074imestamp\":2}", RecordLineProblem.None)]
    [InlineData("{\"tind\":\"event\",\"kinds\":\"event\",\"timestamp\":1}", RecordLineProblem.MissingKind)]
    [InlineData("{\"kind\":\"event\",\"kimestamp\":1,\"Timestamp\":1}", RecordLineProblem.MissingTimestamp)]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1,\"payload\":{\"s\":\"NaN inside a string\",\"v\":NaN}}", RecordLineProblem.None)]
    public void Validate_classifies_lines_per_record_validity_rules(string line, RecordLineProblem expected)
    {
        Assert.Equal(expected, PersistedRecordReader.Validate(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void Validate_reports_nul_bytes_invalid_utf8_and_byte_order_marks_as_corruption()
    {
        byte[] valid = Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"timestamp\":1,\"payload\":\"x\"}");
        byte[] nul = (byte[])valid.Clone();
        nul[^3] = 0;
        byte[] invalidUtf8 = (byte[])valid.Clone();
        invalidUtf8[^3] = 0xC3;

        Assert.Equal(RecordLineProblem.NulByte, PersistedRecordReader.Validate(nul));
        Assert.Equal(RecordLineProblem.InvalidUtf8, PersistedRecordReader.Validate(invalidUtf8));
        Assert.Equal(RecordLineProblem.ByteOrderMark, PersistedRecordReader.Validate([0xEF, 0xBB, 0xBF, .. valid]));
        Assert.All(
            new[] { RecordLineProblem.NulByte, RecordLineProblem.InvalidUtf8, RecordLineProblem.ByteOrderMark, RecordLineProblem.Blank, RecordLineProblem.TooLong, RecordLineProblem.MalformedJson },
            p => Assert.Equal(PersistenceAnomalyType.CorruptedLine, PersistedRecordReader.AnomalyTypeOf(p)));
    }

    [Theory]
    [InlineData("{\"kind\":\"event\",\"timestamp\":1,\"payload\":\"a\0b\"}")] // inside a string value
    [InlineData("{\"kind\":\"event\",\0\"timestamp\":1}")] // where whitespace could be
    [InlineData("{\"kind\":\"event\",\"timestamp\":1}\0")] // after the record
    [InlineData("{\"kind\":\"event\",\"timestamp\":1,\"payload\":\"\udcff\0\"}")] // with invalid UTF-8 (a lone surrogate)
    [InlineData("\ufeff{\"kind\":\"event\",\"timestamp\":1,\"payload\":\"\0\"}")] // after a byte order mark
    public void A_nul_byte_anywhere_is_reported_as_such_even_next_to_other_problems(string text)
    {
        byte[] line = text.Contains('\udcff', StringComparison.Ordinal)
            ? [.. Encoding.UTF8.GetBytes(text[..text.IndexOf('\udcff', StringComparison.Ordinal)]), 0xED, 0xB3, 0xBF, .. Encoding.UTF8.GetBytes(text[(text.IndexOf('\udcff', StringComparison.Ordinal) + 1)..])]
            : Encoding.UTF8.GetBytes(text);

        Assert.Equal(RecordLineProblem.NulByte, PersistedRecordReader.Validate(line));
    }

    [Theory]
    [InlineData("1700000000", RecordLineProblem.None)]
    [InlineData("1700000000.123456", RecordLineProblem.None)]
    [InlineData("-0.5", RecordLineProblem.None)]
    [InlineData("1e308", RecordLineProblem.None)]
    [InlineData("1e309", RecordLineProblem.NonNumericTimestamp)]
    [InlineData("-1E400", RecordLineProblem.NonNumericTimestamp)]
    public void A_scan_checks_the_timestamp_is_finite_without_needing_its_value(string timestamp, RecordLineProblem expected)
    {
        byte[] line = Encoding.UTF8.GetBytes("{\"kind\":\"audit\",\"timestamp\":" + timestamp + "}");
        string overflowing = "{\"kind\":\"audit\",\"timestamp\":" + new string('9', 320) + "}";

        Assert.Equal(expected, PersistedRecordReader.Validate(line));
        Assert.Equal(expected, PersistedRecordReader.Validate(line, out _, out _));
        Assert.Equal(RecordLineProblem.NonNumericTimestamp, PersistedRecordReader.Validate(Encoding.UTF8.GetBytes(overflowing)));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_too_deep_and_never_overflows_the_stack()
    {
        string deep = "{\"kind\":\"event\",\"timestamp\":1,\"payload\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        string deepAndBroken = "{\"kind\":\"event\",\"timestamp\":1,\"payload\":" + new string('[', 10_000) + "}";
        string allowed = "{\"kind\":\"event\",\"timestamp\":1,\"payload\":" + new string('[', 998) + new string(']', 998) + "}";

        Assert.Equal(RecordLineProblem.TooDeep, PersistedRecordReader.Validate(Encoding.UTF8.GetBytes(deep)));
        Assert.Equal(RecordLineProblem.MalformedJson, PersistedRecordReader.Validate(Encoding.UTF8.GetBytes(deepAndBroken)));
        Assert.True(PersistedRecordReader.TryRead(Encoding.UTF8.GetBytes(allowed), out _, out _));
    }

    [Theory]
    [InlineData("\"local:7\"")]
    [InlineData("\"local://7\"")]
    [InlineData("{\"system\": \"local\", \"actor_id\": 7}")]
    [InlineData("{\"actor_id\": \"7\", \"system\": \"local\"}")]
    [InlineData("{\"_rid\": 7, \"_mailbox_put\": \"<bound method>\", \"_address\": {\"system\": \"local\", \"actor_id\": 7}}")]
    public void Addresses_read_from_every_form_the_python_original_writes(string address)
    {
        string line = $"{{\"kind\":\"dead_letter\",\"target\":{address},\"timestamp\":1}}";

        Assert.True(PersistedRecordReader.TryRead(Encoding.UTF8.GetBytes(line), out PersistedRecord? record, out _));
        Assert.Equal(new ActorAddress("local", 7), ((PersistedDeadLetter)record).Target);
    }

    [Theory]
    [InlineData("\"not an address\"")]
    [InlineData("{\"system\": \"bad system\", \"actor_id\": 7}")]
    [InlineData("{\"system\": \"local\", \"actor_id\": 0}")]
    [InlineData("42")]
    public void Unreadable_addresses_read_as_unknown_without_rejecting_the_record(string address)
    {
        string line = $"{{\"kind\":\"event\",\"actor_address\":{address},\"timestamp\":1}}";

        Assert.True(PersistedRecordReader.TryRead(Encoding.UTF8.GetBytes(line), out PersistedRecord? record, out _));
        Assert.Null(((PersistedEvent)record).ActorAddress);
    }

    [Fact]
    public void Minimal_records_read_with_the_python_defaults()
    {
        Assert.True(PersistedRecordReader.TryRead("{\"kind\":\"event\",\"timestamp\":1}"u8, out PersistedRecord? record, out _));

        var e = Assert.IsType<PersistedEvent>(record);
        Assert.Equal(("local", (ActorAddress?)null, string.Empty, "{}", 1.0), (e.SystemId, e.ActorAddress, e.EventType, e.Payload.GetRawText(), e.Timestamp));
    }

    [Fact]
    public void Non_finite_tokens_read_as_strings_and_fields_of_the_wrong_type_read_as_defaults()
    {
        Assert.True(PersistedRecordReader.TryRead("{\"kind\":\"audit\",\"timestamp\":2,\"total_actors\":\"many\",\"alive_actors\":3,\"registry_dead\":[\"a\",1],\"payload\":[NaN, -Infinity]}"u8, out PersistedRecord? audit, out _));
        Assert.True(PersistedRecordReader.TryRead("{\"kind\":\"event\",\"timestamp\":2,\"payload\":{\"v\":NaN,\"w\": -Infinity}}"u8, out PersistedRecord? e, out _));

        var a = Assert.IsType<PersistedAudit>(audit);
        Assert.Equal((0, 3), (a.TotalActors, a.AliveActors));
        Assert.Equal(["a", "1"], a.RegistryDead);
        Assert.Equal("{\"v\":\"NaN\",\"w\": \"-Infinity\"}", ((PersistedEvent)e).Payload.GetRawText());
    }
}
