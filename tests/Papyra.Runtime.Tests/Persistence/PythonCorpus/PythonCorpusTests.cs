using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Startup;
using Papyra.Runtime.Tests.Persistence.Files;

namespace Papyra.Runtime.Tests.Persistence.PythonCorpus;

/// <summary>
/// Every store the Python original wrote in shared/reference/python-corpus (copied here, unedited)
/// scans clean with the default limits and reads back record for record: each line's kind,
/// timestamp and type, in file order, per kind. The 5 MB dead letter and the payload nested 300
/// deep were rejected before (a 4 MiB line limit, a 256-level depth limit).
/// </summary>
public sealed partial class PythonCorpusTests : IDisposable
{
    private readonly TempStore _store = new("corpus.ndjson");

    public static TheoryData<string> Files => new()
    {
        "py-wall.ndjson", "py-mono.ndjson", "py-api.ndjson", "py-api-finite.ndjson", "py-rotating.ndjson", "py-deep300.ndjson", "py-bigdl-5mb.ndjson.gz",
    };

    public void Dispose() => _store.Dispose();

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_store_the_original_wrote_scans_clean_and_reads_back_record_for_record(string file)
    {
        string[] lines = Load(file);
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        PersistenceScanReport scan = await backend.ScanAsync();
        Assert.True(scan.TotalAnomalies == 0, string.Join("; ", scan.Anomalies.Select(a => a.Detail)));
        Assert.Equal(lines.Length, scan.RecordsScanned);

        var events = (await backend.ReadEventsAsync()).Records.Select(r => ("event", r.Timestamp, (string?)r.EventType));
        var audits = (await backend.ReadAuditsAsync()).Records.Select(r => ("audit", r.Timestamp, (string?)null));
        var deadLetters = (await backend.ReadDeadLettersAsync()).Records.Select(r => ("dead_letter", r.Timestamp, (string?)r.MessageType));
        (string Kind, double Timestamp, string? Type)[] expected = [.. lines.Select(Expected)];
        Assert.Equal(expected.Where(e => e.Kind == "event"), events);
        Assert.Equal(expected.Where(e => e.Kind == "audit"), audits);
        Assert.Equal(expected.Where(e => e.Kind == "dead_letter"), deadLetters);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_streaming_read_yields_what_the_list_reads_yield_field_for_field(string file)
    {
        Load(file);
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });
        var streamed = new List<string>();
        await foreach (StoredRecord stored in backend.StreamAsync())
        {
            streamed.Add(Text(stored.Record));
        }

        IEnumerable<PersistedRecord> listed = [
            .. (await backend.ReadEventsAsync()).Records,
            .. (await backend.ReadAuditsAsync()).Records,
            .. (await backend.ReadDeadLettersAsync()).Records];
        Assert.Equal(listed.Select(Text).Order(StringComparer.Ordinal), streamed.Order(StringComparer.Ordinal));

        static string Text(PersistedRecord record) => System.Text.Encoding.UTF8.GetString(Papyra.Persistence.Serialization.PersistedRecordSerializer.SerializeLine(record));
    }

    [Fact]
    public async Task The_5_MB_dead_letter_keeps_its_whole_payload_and_a_recover_startup_leaves_the_store_untouched()
    {
        Load("py-bigdl-5mb.ndjson.gz");
        byte[] before = await File.ReadAllBytesAsync(_store.Path);
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        PersistenceStartupReport startup = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.Recover));

        Assert.True(startup.Passed);
        Assert.Equal(before, await File.ReadAllBytesAsync(_store.Path));
        PersistedDeadLetter big = Assert.Single((await backend.ReadDeadLettersAsync()).Records, d => d.Payload.GetRawText().Length > 5_000_000);
        Assert.Contains(big.Payload.GetRawText(), System.Text.Encoding.UTF8.GetString(before), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_payload_nested_300_deep_reads_back_300_deep()
    {
        Load("py-deep300.ndjson");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        JsonElement payload = Assert.Single((await backend.ReadDeadLettersAsync()).Records).Payload;

        // The line is 300 levels deep: the record object and 299 nested lists, the innermost empty.
        int depth = 1;
        for (JsonElement e = payload; e.ValueKind == JsonValueKind.Array; e = e[0])
        {
            depth++;
            if (e.GetArrayLength() == 0)
            {
                break;
            }
        }

        Assert.Equal(300, depth);
    }

    [Fact]
    public async Task A_lower_nesting_limit_reports_the_deep_record_as_too_deep_not_as_unparseable()
    {
        Load("py-deep300.ndjson");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false, MaxNestingDepth = 256 });

        PersistenceAnomaly anomaly = Assert.Single((await backend.ScanAsync()).Anomalies);

        Assert.Equal(PersistenceAnomalyType.CorruptedLine, anomaly.Type);
        Assert.Equal("Line 1 nests JSON deeper than the 256-level limit (MaxNestingDepth).", anomaly.Detail);
    }

    private static (string Kind, double Timestamp, string? Type) Expected(string line)
    {
        string kind = KindField().Match(line).Groups[1].Value;
        double timestamp = double.Parse(TimestampField().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
        string? type = kind switch
        {
            "event" => EventTypeField().Match(line).Groups[1].Value,
            "dead_letter" => MessageTypeField().Match(line).Groups[1].Value,
            _ => null,
        };
        return (kind, timestamp, type);
    }

    private string[] Load(string file)
    {
        string source = Path.Combine(AppContext.BaseDirectory, "python-corpus", file);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            using FileStream compressed = File.OpenRead(source);
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            using FileStream target = File.Create(_store.Path);
            gzip.CopyTo(target);
        }
        else
        {
            File.Copy(source, _store.Path, overwrite: true);
        }

        return File.ReadAllLines(_store.Path);
    }

    [GeneratedRegex("\"kind\": \"(\\w+)\"")]
    private static partial Regex KindField();

    [GeneratedRegex("\"timestamp\": ([-0-9.eE+]+)")]
    private static partial Regex TimestampField();

    [GeneratedRegex("\"event_type\": \"([^\"]*)\"")]
    private static partial Regex EventTypeField();

    [GeneratedRegex("\"message_type\": \"([^\"]*)\"")]
    private static partial Regex MessageTypeField();
}
