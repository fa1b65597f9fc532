using System.Text;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Serialization;
using Papyra.Runtime.Tests.Persistence.Serialization;

namespace Papyra.Runtime.Tests.Persistence.Files;

/// <summary>
/// A scan reads lines of the writer's layout by matching their fixed bytes (the streaming reader's
/// one-pass match) and every other line with the general validator: it must report exactly the
/// lines the general validator rejects, each with that validator's verdict.
/// </summary>
public sealed class ScanVerdictTests
{
    [Fact]
    public async Task A_scan_reports_exactly_the_lines_the_general_validator_rejects_with_its_verdicts()
    {
        // The reader's own corpus: odd shapes, the writer's layout and its near misses, and damaged
        // variants of a valid line (every truncation, byte flips at every fifth offset: a report
        // holds at most 1,000 anomalies).
        var lines = new List<byte[]>();
        foreach (object[] row in Enumerable.Concat<object[]>(StoredLineReaderTests.Lines(), StoredLineReaderTests.CanonicalLines()))
        {
            lines.Add(Encoding.UTF8.GetBytes((string)row[0]));
        }

        byte[] valid = Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{\"system\":\"local\",\"actor_id\":1},\"event_type\":\"ActorStarted\",\"payload\":{\"seq\":0,\"reason\":\"benchmark\"},\"timestamp\":1764000000.125}");
        for (int at = 0; at < valid.Length; at++)
        {
            lines.Add(valid.AsSpan(0, at).ToArray());
            if (at % 5 != 0)
            {
                continue;
            }

            foreach (byte replacement in "\"{}[],:0\\ a\0\u00ff"u8.ToArray())
            {
                byte[] damaged = (byte[])valid.Clone();
                damaged[at] = replacement;
                lines.Add(damaged);
            }
        }

        lines.RemoveAll(line => line.Contains((byte)'\n'));
        using var store = new TempStore();
        store.Write([.. lines.SelectMany(line => line.Append((byte)'\n'))]);
        await using var backend = new JsonFilePersistenceBackend(store.Path);

        PersistenceScanReport report = await backend.ScanAsync();

        var expected = new List<(long Line, PersistenceAnomalyType Type, string Problem)>();
        for (int i = 0; i < lines.Count; i++)
        {
            RecordLineProblem problem = PersistedRecordReader.Validate(lines[i]);
            if (problem != RecordLineProblem.None)
            {
                expected.Add((i + 1, PersistedRecordReader.AnomalyTypeOf(problem), PersistedRecordReader.Describe(problem)));
            }
        }

        Assert.True(expected.Count is > 500 and < 1_000 && expected.Count < lines.Count - 50, $"{expected.Count} of {lines.Count} lines rejected: the corpus should hold many of each");
        Assert.Equal(expected.Select(e => (e.Line, e.Type)), report.Anomalies.Select(a => (a.Line!.Value, a.Type)));
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i].Type == PersistenceAnomalyType.CorruptedLine)
            {
                Assert.Contains(expected[i].Problem, report.Anomalies[i].Detail, StringComparison.Ordinal);
            }
        }

        Assert.Equal(lines.Count - expected.Count, report.RecordsScanned);
    }
}
