using System.Text;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;
using Papyra.TestSupport;

namespace Papyra.Runtime.Tests.Persistence.Serialization;

/// <summary>
/// The record format's golden corpus (api/records/). python-inputs.ndjson holds lines the Python
/// original writes (reference §3.4) and hand-written variants; every one must read as a record, and
/// how each reads back is approved in python-inputs.read.ndjson. writer-output.ndjson approves what
/// our writer produces, so any format change is a visible diff.
/// </summary>
public sealed class RecordFormatGoldenTests
{
    private static readonly string InputsPath = Path.Combine(Approvals.ApiDirectory, "records", "python-inputs.ndjson");

    [Fact]
    public void Every_python_input_line_reads_as_a_valid_record()
    {
        string[] lines = File.ReadAllLines(InputsPath, Encoding.UTF8);

        Assert.Equal(15, lines.Length);
        Assert.All(lines, line =>
        {
            bool ok = PersistedRecordReader.TryRead(Encoding.UTF8.GetBytes(line), out _, out RecordLineProblem problem);
            Assert.True(ok, $"{problem}: {line}");
        });
    }

    [Fact]
    public void Python_inputs_read_back_as_approved()
    {
        var output = new StringBuilder();
        foreach (string line in File.ReadAllLines(InputsPath, Encoding.UTF8))
        {
            Assert.True(PersistedRecordReader.TryRead(Encoding.UTF8.GetBytes(line), out PersistedRecord? record, out _));
            output.Append(Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(record)));
        }

        Approvals.Verify("records/python-inputs.read.ndjson", output.ToString());
    }

    [Fact]
    public void Writer_output_matches_the_approved_golden_file()
    {
        var output = new StringBuilder();
        foreach (PersistedRecord record in GoldenRecords())
        {
            output.Append(Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(record)));
        }

        Approvals.Verify("records/writer-output.ndjson", output.ToString());
    }

    [Fact]
    public void Writer_output_reads_back_to_equal_records()
    {
        foreach (PersistedRecord record in GoldenRecords())
        {
            byte[] line = PersistedRecordSerializer.SerializeLine(record);
            Assert.True(PersistedRecordReader.TryRead(line.AsSpan(0, line.Length - 1), out PersistedRecord? read, out _));
            Assert.Equal(Encoding.UTF8.GetString(line), Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(read)));
        }
    }

    internal static IEnumerable<PersistedRecord> GoldenRecords()
    {
        using JsonDocument crash = JsonDocument.Parse("""{"error":"InvalidOperationException: boom","reason":"InvalidOperationException: boom"}""");
        using JsonDocument unicode = JsonDocument.Parse("\"héllo wörld ✓ 日本 😀 <tag> & 'q' + \\\"quoted\\\" back\\\\slash\\n\\t\\u0001\"");
        using JsonDocument complex = JsonDocument.Parse("""{"n":[1,2.5,-3e-7,12345678901234567890,null,true,false],"o":{"k":"v"}}""");
        yield return new PersistedEvent("local", new ActorAddress("local", 1), "ActorStarted", null, 1_700_000_000.5);
        yield return new PersistedEvent("local", new ActorAddress("local", 1), "ActorCrashed", crash.RootElement, 1_700_000_001);
        yield return new PersistedEvent("node-2.eu_west", new ActorAddress("node-2.eu_west", 9_007_199_254_740_993), "ActorStopped", complex.RootElement, 0.000001);
        yield return new PersistedEvent("local", null, "Unaddressed", null, 12.25);
        yield return new PersistedAudit("local", 1_700_000_002.125, 3, 2, 1, 0, 2, ["orphan"], ["svc", "dead"], 4);
        yield return new PersistedAudit("local", 1_700_000_003, 0, 0, 0, 0, 0, null, null, 0);
        yield return new PersistedDeadLetter("local", new ActorAddress("local", 2), "String", unicode.RootElement, 1_700_000_004, expectsReply: true);
        yield return new PersistedDeadLetter("local", null, "Int32", null, 1_700_000_005);
    }
}
