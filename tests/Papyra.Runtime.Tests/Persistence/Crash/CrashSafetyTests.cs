using System.Diagnostics;
using System.Globalization;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;
using Papyra.Runtime.Tests.Persistence.Files;
using Xunit.Abstractions;

namespace Papyra.Runtime.Tests.Persistence.Crash;

/// <summary>
/// Real processes, real SIGKILLs: a child appends (or compacts) a JSON-lines store and prints what
/// completed; the test kills it at a random point and checks what a crash can leave behind.
/// </summary>
[Collection(nameof(CrashSafetyTests))]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    // bench/fault-run.sh sets PAPYRA_FAULT_RUNS for a longer run; CI takes 20 kills per scenario.
    private static readonly int Runs = int.TryParse(Environment.GetEnvironmentVariable("PAPYRA_FAULT_RUNS"), CultureInfo.InvariantCulture, out int runs) && runs > 0 ? runs : 20;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("json")]
    [InlineData("rotating")]
    public async Task Killed_fsync_writer_loses_no_acknowledged_record_and_leaves_at_most_a_truncated_last_line(string backendName)
    {
        var random = new Random(20261126);
        int truncatedSeen = 0;
        long checkedRecords = 0;
        for (int run = 0; run < Runs; run++)
        {
            using var store = new TempStore();
            int acksWanted = random.Next(1, 150);
            var acked = new HashSet<long>();
            using (Process child = StartChild("append", store.Path, run.ToString(CultureInfo.InvariantCulture), backendName))
            {
                while (acked.Count < acksWanted)
                {
                    string line = await ReadLineAsync(child);
                    acked.Add(long.Parse(line["ack ".Length..], CultureInfo.InvariantCulture));
                }

                // The child runs ahead of what was read: what it printed before dying was acknowledged too.
                foreach (string line in await KillAndDrainAsync(child))
                {
                    acked.Add(long.Parse(line["ack ".Length..], CultureInfo.InvariantCulture));
                }
            }

            await using IPersistenceBackend backend = Open(store.Path, backendName);
            truncatedSeen += await AssertAtMostATruncatedLastLineAsync(backend, run);
            AssertAllPresent(acked, await SequencesAsync(backend), run);
            checkedRecords += acked.Count;

            PersistenceRecoveryReport repair = await ((IPersistenceRecoverer)backend).RecoverAsync(PersistenceRecoveryConfig.Repair);
            Assert.True(repair.IsClean, $"run {run}: repair leaves a clean store");
            AssertAllPresent(acked, await SequencesAsync(backend), run);
        }

        output.WriteLine($"fault-run append/{backendName}: {Runs} kills, {checkedRecords} acknowledged records checked, 0 missing; anomalies: {truncatedSeen} TruncatedLine (the record being written when killed), nothing else.");
    }

    [Theory]
    [InlineData("json")]
    [InlineData("rotating")]
    public async Task Killed_actor_system_loses_no_flushed_lifecycle_event(string backendName)
    {
        var random = new Random(31337);
        int truncatedSeen = 0;
        long checkedActors = 0;
        for (int run = 0; run < Runs; run++)
        {
            using var store = new TempStore();
            int batchesWanted = random.Next(1, 20);
            var acked = new List<(long First, long Last)>();
            using (Process child = StartChild("actors", store.Path, backendName))
            {
                while (acked.Count < batchesWanted)
                {
                    acked.Add(ParseBatch(await ReadLineAsync(child)));
                }

                foreach (string line in await KillAndDrainAsync(child))
                {
                    acked.Add(ParseBatch(line));
                }
            }

            await using IPersistenceBackend backend = Open(store.Path, backendName);
            truncatedSeen += await AssertAtMostATruncatedLastLineAsync(backend, run);
            var events = (await backend.ReadEventsAsync()).Records;
            var started = events.Where(e => e.EventType == "ActorStarted").Select(e => e.ActorAddress!.Value.Id).ToHashSet();
            var stopped = events.Where(e => e.EventType == "ActorStopped").Select(e => e.ActorAddress!.Value.Id).ToHashSet();
            foreach ((long first, long last) in acked)
            {
                for (long id = first; id <= last; id++)
                {
                    Assert.True(started.Contains(id) && stopped.Contains(id), $"run {run}: actor {id} was flushed, but its start or stop event is missing");
                    checkedActors++;
                }
            }
        }

        output.WriteLine($"fault-run actors/{backendName}: {Runs} kills, {checkedActors * 2} flushed lifecycle events checked, 0 missing; anomalies: {truncatedSeen} TruncatedLine, nothing else.");

        static (long, long) ParseBatch(string line)
        {
            string[] parts = line.Split(' ');
            return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Killed_compaction_leaves_either_the_old_or_the_new_complete_file()
    {
        var random = new Random(4242);
        const int Initial = 20_000;
        const int MaxRecords = 15_000;
        int killedDuringCompaction = 0;
        for (int run = 0; run < Runs; run++)
        {
            using var store = new TempStore();
            await SeedAsync(store.Path, Initial);
            int compactionsBeforeKill = random.Next(1, 4);
            bool killMidCompaction = random.Next(4) != 0;
            long lastAck = Initial - 1;
            long settledFirst = 0;
            long pendingFirst = 0;
            HashSet<long> firstCandidates = [0];
            using (Process child = StartChild("compact", store.Path, MaxRecords.ToString(CultureInfo.InvariantCulture), Initial.ToString(CultureInfo.InvariantCulture)))
            {
                int compactions = 0;
                int acksAfter = random.Next(1, 20);
                while (true)
                {
                    string line = await ReadLineAsync(child);
                    Track(line);
                    if (line.StartsWith("ack ", StringComparison.Ordinal) && compactions == compactionsBeforeKill && --acksAfter == 0)
                    {
                        break;
                    }

                    if (line.StartsWith("compacting ", StringComparison.Ordinal) && ++compactions == compactionsBeforeKill && killMidCompaction)
                    {
                        break;
                    }
                }

                // The child runs ahead of what was read: replay everything it printed before dying.
                foreach (string line in await KillAndDrainAsync(child))
                {
                    Track(line);
                }

                killedDuringCompaction += firstCandidates.Count > 1 ? 1 : 0;
            }

            void Track(string line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    lastAck = long.Parse(line[4..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("compacting ", StringComparison.Ordinal))
                {
                    pendingFirst = lastAck - long.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture) + 1;
                    firstCandidates = [settledFirst, pendingFirst];
                }
                else if (line == "compacted")
                {
                    settledFirst = pendingFirst;
                    firstCandidates = [settledFirst];
                }
            }

            await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = store.Path, PublishMetrics = false });
            PersistenceScanReport scan = await backend.ScanAsync();
            Assert.True(scan.Anomalies.All(a => a.Type == PersistenceAnomalyType.TruncatedLine) && scan.TotalAnomalies <= 1, $"run {run}: the store is a complete file");
            long[] sequences = await SequencesAsync(backend);
            Assert.True(
                firstCandidates.Contains(sequences[0]),
                $"run {run}: the store starts at record {sequences[0]}, expected the old ({settledFirst}) or the new ({pendingFirst}) file");
            Assert.Equal(Enumerable.Range(0, sequences.Length).Select(i => sequences[0] + i), sequences);
            Assert.True(sequences[^1] >= lastAck, $"run {run}: the last acknowledged record {lastAck} is present");

            await backend.CompactAsync();
            Assert.DoesNotContain(store.FilesBeside(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }

        output.WriteLine($"fault-run compact/json: {Runs} kills, {killedDuringCompaction} while a compaction was running; every store was the complete old or new file with every acknowledged record; anomalies: at most a TruncatedLine.");
    }

    [Fact]
    public async Task Killed_rotating_compaction_leaves_a_clean_set_and_the_next_compaction_works()
    {
        var random = new Random(777);
        const int Initial = 20_000;
        const int MaxRecords = 15_000;
        int killedDuringCompaction = 0;
        for (int run = 0; run < Runs; run++)
        {
            using var store = new TempStore("rot.ndjson");
            await SeedRotatingAsync(store.Path, Initial);
            bool killMidCompaction = random.Next(4) != 0;
            long lastAck = Initial - 1;
            bool compacting = false;
            using (Process child = StartChild("compact-rotating", store.Path, MaxRecords.ToString(CultureInfo.InvariantCulture), Initial.ToString(CultureInfo.InvariantCulture)))
            {
                int acksAfter = random.Next(1, 40);
                while (true)
                {
                    string line = await ReadLineAsync(child);
                    Track(line);
                    if ((line.StartsWith("compacting ", StringComparison.Ordinal) && killMidCompaction) || (line.StartsWith("ack ", StringComparison.Ordinal) && --acksAfter == 0))
                    {
                        break;
                    }
                }

                foreach (string line in await KillAndDrainAsync(child))
                {
                    Track(line);
                }

                killedDuringCompaction += compacting ? 1 : 0;
            }

            void Track(string line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    lastAck = long.Parse(line[4..], CultureInfo.InvariantCulture);
                }

                compacting = line.StartsWith("compacting ", StringComparison.Ordinal) || (compacting && line != "compacted");
            }

            await using var backend = new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = store.Path, PublishMetrics = false, MaxBytes = 64 * 1024, MaxFiles = 100 });
            PersistenceScanReport scan = await backend.ScanAsync();
            Assert.True(
                scan.Anomalies.All(a => a.Type == PersistenceAnomalyType.TruncatedLine) && scan.TotalAnomalies <= 1,
                $"run {run}: the set scans clean after the kill, found {string.Join("; ", scan.Anomalies.Select(a => a.Detail))}");
            long[] sequences = await SequencesAsync(backend);
            Assert.True(sequences.Zip(sequences.Skip(1)).All(p => p.Second > p.First), $"run {run}: every record once, in order");
            Assert.True(sequences[^1] >= lastAck, $"run {run}: the last acknowledged record {lastAck} is present");

            await backend.CompactAsync();
            Assert.DoesNotContain(store.FilesBeside(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
            Assert.DoesNotContain((await backend.ScanAsync()).Anomalies, a => a.Type != PersistenceAnomalyType.TruncatedLine);
        }

        output.WriteLine($"fault-run compact/rotating: {Runs} kills, {killedDuringCompaction} while a compaction was running; every set scanned clean (at most a TruncatedLine), held every acknowledged record once, and compacted again with no temp file left.");
    }

    [Fact]
    public async Task Killed_repair_never_leaves_a_partial_sidecar_and_the_rerun_writes_no_second_copy()
    {
        var random = new Random(9090);
        int runs = Math.Max(Runs / 2, 1);
        string damaged = "damaged " + new string('d', 2000);
        int sidecarsBeforeRerun = 0;
        for (int run = 0; run < runs; run++)
        {
            using var store = new TempStore();
            var text = new System.Text.StringBuilder();
            var rejected = new System.Text.StringBuilder();
            for (int i = 0; i < 3000; i++)
            {
                text.Append("{\"kind\":\"event\",\"system_id\":\"local\",\"event_type\":\"Crash\",\"payload\":{\"seq\":").Append(i).Append("},\"timestamp\":").Append(i).Append("}\n");
                if (i % 3 == 0)
                {
                    string bad = damaged + i.ToString(CultureInfo.InvariantCulture);
                    text.Append(bad).Append('\n');
                    rejected.Append(bad).Append('\n');
                }
            }

            await File.WriteAllTextAsync(store.Path, text.ToString());
            using (Process child = StartChild("repair", store.Path))
            {
                Assert.Equal("repairing", await ReadLineAsync(child));
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 600)));
                await KillAndDrainAsync(child);
            }

            string[] Sidecars() => [.. store.FilesBeside().Where(f => f.StartsWith("store.ndjson.rejected.", StringComparison.Ordinal) && !f.EndsWith(".tmp", StringComparison.Ordinal))];
            foreach (string sidecar in Sidecars())
            {
                Assert.Equal(rejected.ToString(), await File.ReadAllTextAsync(Path.Combine(store.Directory, sidecar)));
            }

            sidecarsBeforeRerun += Sidecars().Length;
            await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = store.Path, PublishMetrics = false });
            Assert.True((await backend.RecoverAsync(PersistenceRecoveryConfig.Repair)).IsClean, $"run {run}: the rerun ends clean");
            Assert.Equal(rejected.ToString(), await File.ReadAllTextAsync(Path.Combine(store.Directory, Assert.Single(Sidecars()))));
            Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), await SequencesAsync(backend));
            Assert.DoesNotContain(store.FilesBeside(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }

        output.WriteLine($"fault-run repair/json: {runs} kills during repair; {sidecarsBeforeRerun} left a complete sidecar, none a partial one; every rerun ended clean with one sidecar and every valid record.");
    }

    private static async Task SeedRotatingAsync(string path, int count)
    {
        await using var writer = new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = path, PublishMetrics = false, MaxBytes = 64 * 1024, MaxFiles = 100, Durability = PersistenceDurability.None });
        for (int i = 0; i < count; i++)
        {
            using System.Text.Json.JsonDocument payload = System.Text.Json.JsonDocument.Parse($"{{\"seq\":{i.ToString(CultureInfo.InvariantCulture)},\"filler\":\"filler\"}}");
            await writer.RecordEventAsync(new PersistedEvent("local", new ActorAddress("local", 1), "Crash", payload.RootElement, i));
        }
    }

    private static async Task SeedAsync(string path, int count)
    {
        // Same shape as the child's records, written directly: seeding is not what is under test.
        var text = new System.Text.StringBuilder(count * 140);
        for (int i = 0; i < count; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            text.Append("{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{\"system\":\"local\",\"actor_id\":1},\"event_type\":\"Crash\",\"payload\":{\"seq\":")
                .Append(n).Append(",\"filler\":\"filler\"},\"timestamp\":").Append(n).Append("}\n");
        }

        await File.WriteAllTextAsync(path, text.ToString());
    }

    // A kill may leave the record being written as a truncated last line, and nothing else.
    private static async Task<int> AssertAtMostATruncatedLastLineAsync(IPersistenceBackend backend, int run)
    {
        PersistenceScanReport scan = await ((IPersistenceScanner)backend).ScanAsync();
        Assert.True(
            scan.Anomalies.All(a => a.Type == PersistenceAnomalyType.TruncatedLine) && scan.TotalAnomalies <= 1,
            $"run {run}: only a truncated last line may be damaged, found {string.Join("; ", scan.Anomalies.Select(a => a.Detail))}");
        return (int)scan.TotalAnomalies;
    }

    private static IPersistenceBackend Open(string path, string backendName) => backendName == "rotating"
        ? new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = path, PublishMetrics = false, MaxBytes = 256 * 1024, MaxFiles = 1000 })
        : new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });

    private static async Task<long[]> SequencesAsync(IPersistenceBackend backend)
        => [.. (await backend.ReadEventsAsync()).Records.Select(e => e.Payload.GetProperty("seq").GetInt64())];

    private static void AssertAllPresent(HashSet<long> acked, long[] stored, int run)
    {
        var present = stored.ToHashSet();
        long[] missing = [.. acked.Where(a => !present.Contains(a))];
        Assert.True(missing.Length == 0, $"run {run}: acknowledged records missing after the crash: {string.Join(", ", missing.Take(10))}");
    }

    private static Process StartChild(params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Papyra.CrashWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The crash writer did not start.");
    }

    private static async Task<List<string>> KillAndDrainAsync(Process child)
    {
        child.Kill(entireProcessTree: true);
        var rest = new List<string>();
        while (await child.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout) is { } line)
        {
            // The child writes each line with one write(2) of less than PIPE_BUF bytes, so a kill never cuts a line.
            rest.Add(line);
        }

        await child.WaitForExitAsync();
        return rest;
    }

    private static async Task<string> ReadLineAsync(Process child)
    {
        string? line = await child.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout);
        return line ?? throw new InvalidOperationException($"The crash writer exited early (exit code {(child.HasExited ? child.ExitCode : -1)}).");
    }
}
