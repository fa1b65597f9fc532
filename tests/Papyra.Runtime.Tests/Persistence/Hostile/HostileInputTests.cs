using System.Text;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Runtime.Tests.Persistence.Files;

namespace Papyra.Runtime.Tests.Persistence.Hostile;

/// <summary>
/// Runs alone: the memory bound is measured with the process's allocation counter, which tests
/// running beside it add to.
/// </summary>
[CollectionDefinition(nameof(HostileInputTests), DisableParallelization = true)]
public sealed class HostileInputCollection;

/// <summary>Malformed or hostile store content never crashes a scan, never makes it buffer unbounded memory, and never loses a valid record.</summary>
[Collection(nameof(HostileInputTests))]
public sealed class HostileInputTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Random_bytes_are_reported_never_thrown_and_repair_sets_them_all_aside()
    {
        byte[] noise = new byte[1 << 20];
        new Random(7).NextBytes(noise);
        _store.Write(noise);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceScanReport scan = await backend.ScanAsync();
        PersistenceRecoveryReport repair = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.True(scan.HasAnomalies);
        Assert.Equal(noise.Length, scan.BytesScanned);
        Assert.True(repair.IsClean);
        byte[] sidecar = await File.ReadAllBytesAsync(Assert.Single(repair.RejectedFiles));
        Assert.Equal(noise.Length + (noise[^1] == (byte)'\n' ? 0 : 1), sidecar.Length);
    }

    [Fact]
    public async Task A_50_megabyte_line_over_the_limit_is_one_corrupted_line_scanned_in_bounded_memory_and_kept_raw_by_repair()
    {
        const int HugeLength = 50 * 1024 * 1024;
        string valid = "{\"kind\":\"event\",\"timestamp\":1}\n";
        using (var file = new FileStream(_store.Path, FileMode.Create))
        {
            file.Write(Encoding.UTF8.GetBytes(valid));
            byte[] chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'a');
            for (int written = 0; written < HugeLength; written += chunk.Length)
            {
                file.Write(chunk);
            }

            file.WriteByte((byte)'\n');
            file.Write(Encoding.UTF8.GetBytes(valid));
        }

        // The default limit (64 MiB) takes a 50 MB line; a store configured lower skips it unbuffered.
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, MaxLineBytes = 4 * 1024 * 1024 });
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        PersistenceScanReport scan = await backend.ScanAsync();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        PersistenceAnomaly anomaly = Assert.Single(scan.Anomalies);
        Assert.Equal((PersistenceAnomalyType.CorruptedLine, 2L, (long)valid.Length), (anomaly.Type, anomaly.Line!.Value, anomaly.Offset!.Value));
        Assert.Equal(2, scan.RecordsScanned);
        Assert.True(allocated < 24 * 1024 * 1024, $"the scan allocated {allocated / (1024 * 1024)} MiB for a 50 MiB line");

        PersistenceRecoveryReport repair = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);
        Assert.True(repair.IsClean);
        Assert.Equal(valid + valid, _store.Read());
        Assert.Equal(HugeLength + 1, new FileInfo(Assert.Single(repair.RejectedFiles)).Length);
    }

    [Fact]
    public async Task Ten_thousand_deep_nesting_is_a_corrupted_line_not_a_stack_overflow()
    {
        string deep = "{\"kind\":\"event\",\"timestamp\":1,\"payload\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        string deepObjects = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        _store.Write(deep + "\n" + deepObjects + "\n{\"kind\":\"event\",\"timestamp\":2}\n");
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceScanReport scan = await backend.ScanAsync();
        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync();

        Assert.Equal([PersistenceAnomalyType.CorruptedLine, PersistenceAnomalyType.CorruptedLine], scan.Anomalies.Select(a => a.Type));
        Assert.Equal((2.0, 2L), (Assert.Single(events.Records).Timestamp, events.SkippedRecords));
    }

    [Fact]
    public async Task Mixed_hostile_lines_never_lose_a_valid_record()
    {
        var random = new Random(99);
        var content = new MemoryStream();
        var valid = new List<string>();
        int damaged = 0;
        for (int i = 0; i < 3000; i++)
        {
            int choice = random.Next(8);
            byte[] line;
            if (choice < 3)
            {
                string text = $"{{\"kind\":\"event\",\"timestamp\":{i},\"payload\":{{\"s\":\"é😀{new string('x', random.Next(50))}\"}}}}";
                valid.Add(text);
                line = Encoding.UTF8.GetBytes(text);
            }
            else
            {
                damaged++;
                line = choice switch
                {
                    3 => [.. Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"timestamp\":1,\"p\":\""), 0xC0, 0xAF, (byte)'"', (byte)'}'],
                    4 => Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"timestamp\":1,\"p\":\"\0\"}"),
                    5 => RandomPrintable(random),
                    6 => Encoding.UTF8.GetBytes("{\"kind\":\"event\",\"timestamp\":"),
                    _ => Encoding.UTF8.GetBytes("{\"kind\":\"actor\",\"timestamp\":1}"),
                };
            }

            content.Write(line);
            content.WriteByte((byte)'\n');
        }

        _store.Write(content.ToArray());
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceScanReport scan = await backend.ScanAsync();
        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync();
        PersistenceRecoveryReport repair = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(damaged, scan.TotalAnomalies);
        Assert.Equal((valid.Count, (long)damaged), (events.Records.Count, events.SkippedRecords));
        Assert.True(repair.IsClean);
        Assert.Equal(string.Concat(valid.Select(v => v + "\n")), _store.Read());
        Assert.Equal(damaged, File.ReadAllBytes(Assert.Single(repair.RejectedFiles)).Count(b => b == (byte)'\n'));
    }

    private static byte[] RandomPrintable(Random random)
    {
        byte[] bytes = new byte[random.Next(1, 200)];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.Next(0x21, 0x7F);
        }

        bytes[0] = (byte)'#';
        return bytes;
    }
}
