using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Benchmarks;
using Papyra.Persistence.Json;
using Papyra.Persistence.Serialization;

// Usage: dotnet run -c Release --project bench/Papyra.Persistence.Benchmarks -- <scenario> [dir] [size]
//   groupcommit   8 producers x 64 writes in flight, Fsync group commit vs raw "fsync every 100 lines"
//   latency       p50/p99 of one awaited Fsync write vs raw write+fsync of one line
//   buffered      append with Durability.None vs a FileStream loop serialising the same records with System.Text.Json's
//                 source generator (what a user writes by hand; the target), and, as information, vs copying
//                 pre-serialised lines and vs the same loop with Papyra's own serialiser
//   scan [MB]     ScanAsync vs a plain Utf8JsonReader validation pass over the same file (default 1024 MB)
//   actor-events  an ActorSystem's own lifecycle events (spawn+stop from 8 threads) persisted with Fsync
//                 group commit, vs the backend's own group-commit rate (PAPYRA_BENCH_DETAIL=1 prints, per
//                 round, when spawning finished and when every event was durable)
//   scan-memory <file>   scan an existing file, print peak working set and allocations
//   generate <file> <records>   write a store of that many records (events, 1 in 50 a dead letter, 1 in 1000 an audit; ~190 B each)
//   stream-read <file>   streaming API read of every record (IPersistenceStreamReader) and CountAsync vs ScanAsync, same file
//   follow-latency <papyra binary> [dir]   append with Fsync while `papyra inspect events --follow --json` runs: p50/p99
//                 from the awaited append to the line on papyra's stdout
//   all           everything but scan-memory and the read scenarios (see bench/read-commands.sh)
string scenario = args.Length > 0 ? args[0] : "all";
string directory = args.Length > 1 && scenario is not ("scan-memory" or "generate" or "stream-read" or "follow-latency") ? args[1]
    : args.Length > 2 && scenario == "follow-latency" ? args[2] : Path.Combine(Path.GetTempPath(), "papyra-bench");
Directory.CreateDirectory(directory);
Console.WriteLine($"# {scenario} on {Environment.ProcessorCount} cores, {RuntimeInformationText()}");

switch (scenario)
{
    case "groupcommit": await GroupCommit(); break;
    case "latency": await Latency(); break;
    case "buffered": await Buffered(); break;
    case "scan": await Scan(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024); break;
    case "scan-memory": await ScanMemory(args[1]); break;
    case "actor-events": await ActorEvents(); break;
    case "generate": Generate(args[1], long.Parse(args[2], CultureInfo.InvariantCulture)); break;
    case "stream-read": await StreamRead(args[1]); break;
    case "follow-latency": await FollowLatency(args[1]); break;
    default:
        await GroupCommit();
        await Latency();
        await Buffered();
        await Scan(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024);
        break;
}

static void Generate(string path, long records)
{
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    for (long i = 0; i < records; i++)
    {
        PersistedRecord record = (i % 1000) == 999
            ? new PersistedAudit("local", Timestamp(i), 64, 60, 2, 2, 64, [], [], i / 50)
            : (i % 50) == 49
                ? new PersistedDeadLetter("local", new ActorAddress("local", 1 + (i % 64)), "Ping", Payload(i), Timestamp(i), expectsReply: false)
                : Record(i);
        file.Write(PersistedRecordSerializer.SerializeLine(record));
    }

    Console.WriteLine($"{path}: {records:N0} records, {file.Length / 1e6:N0} MB");

    static JsonElement Payload(long i)
    {
        using JsonDocument document = JsonDocument.Parse($"{{\"seq\":{i.ToString(CultureInfo.InvariantCulture)},\"reason\":\"benchmark\"}}");
        return document.RootElement.Clone();
    }
}

// The streaming API against the scan of the same file: every record read (materialised, with its
// position), and counted; medians of three interleaved passes after a warm-up pass each.
async Task StreamRead(string path)
{
    await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
    long size = new FileInfo(path).Length;
    async Task<long> Scan() => (await backend.ScanAsync()).RecordsScanned;
    async Task<long> Stream()
    {
        long n = 0;
        await foreach (StoredRecord stored in backend.StreamAsync())
        {
            n++;
        }

        return n;
    }

    async Task<long> Count() => (await backend.CountAsync()).Total;

    var passes = new Dictionary<string, List<double>> { ["scan"] = [], ["stream"] = [], ["count"] = [] };
    var cpu = new Dictionary<string, List<double>> { ["scan"] = [], ["stream"] = [], ["count"] = [] };
    var work = new (string Name, Func<Task<long>> Run)[] { ("scan", Scan), ("stream", Stream), ("count", Count) };
    long[] records = new long[3];
    for (int round = -1; round < 3; round++)
    {
        for (int k = 0; k < work.Length; k++)
        {
            (string name, Func<Task<long>> run) = work[(k + Math.Max(round, 0)) % work.Length];
            GC.Collect();
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            long n = await run();
            if (round >= 0)
            {
                passes[name].Add(stopwatch.Elapsed.TotalSeconds);
                cpu[name].Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
            }

            records[Array.FindIndex(work, w => w.Name == name)] = n;
        }
    }

    double Median(string name) => passes[name].Order().ElementAt(1);
    Console.WriteLine($"file: {size / 1e6:N0} MB, {records[0]:N0} records (page cache warm); medians of 3 interleaved passes after a warm-up");
    foreach ((string name, _) in work)
    {
        Console.WriteLine($"{name,-7} {Median(name),6:0.00} s  {size / Median(name) / 1e6,6:N0} MB/s  {records[Array.FindIndex(work, w => w.Name == name)] / Median(name) / 1e6,5:0.00} M rec/s  ({string.Join(" ", passes[name].Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} s)");
    }

    Console.WriteLine($"ratios: stream/scan {Median("scan") / Median("stream"):P0} of the scan's throughput, count/scan {Median("scan") / Median("count"):P0}");

    // The machine may be shared: CPU seconds per pass (all threads, GC included) are the steadier view.
    double Cpu(string name) => cpu[name].Order().ElementAt(1);
    Console.WriteLine($"cpu seconds (median): scan {Cpu("scan"):0.00}, stream {Cpu("stream"):0.00}, count {Cpu("count"):0.00}; stream/scan {Cpu("scan") / Cpu("stream"):P0} by CPU time");
}

// One record appended at a time with Fsync; the latency is from the completed append (durable) to
// the record's line arriving on the stdout of a running `papyra inspect events --follow --json`.
async Task FollowLatency(string papyra)
{
    const int Samples = 1000;
    string path = Path.Combine(directory, "follow.ndjson");
    File.Delete(path);
    await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
    await backend.RecordEventAsync(Record(0));
    var start = new ProcessStartInfo(papyra) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (string arg in (string[])["inspect", "events", "--path", path, "--follow", "--json", "--limit", "1"])
    {
        start.ArgumentList.Add(arg);
    }

    using Process follower = Process.Start(start)!;
    _ = await follower.StandardOutput.ReadLineAsync(); // the backlog record: the follower is running
    var latencies = new List<double>(Samples);
    var random = new Random(5);
    for (int i = 1; i <= Samples + 50; i++)
    {
        await backend.RecordEventAsync(Record(i));
        long appended = Stopwatch.GetTimestamp();
        string line = await follower.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("papyra stopped following");
        double ms = Stopwatch.GetElapsedTime(appended).TotalMilliseconds;
        if (!line.Contains($"\"seq\":{i.ToString(CultureInfo.InvariantCulture)},", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"expected record {i}, got {line}");
        }

        if (i > 50)
        {
            latencies.Add(ms); // the first 50 warm both processes up
        }

        await Task.Delay(random.Next(0, 25)); // appends arrive at random points of the follower's poll
    }

    follower.Kill();
    double P(double q) => latencies.Order().ElementAt((int)Math.Ceiling(q * latencies.Count) - 1);
    Console.WriteLine($"follow latency over {Samples} Fsync appends: p50 {P(0.50):0.0} ms, p90 {P(0.90):0.0} ms, p99 {P(0.99):0.0} ms, max {latencies.Max():0.0} ms");
}

async Task ActorEvents()
{
    const int Spawners = 8;
    const int PerSpawner = 25_000;
    string path = Path.Combine(directory, "actor-events.ndjson");
    string backendPath = Path.Combine(directory, "actor-events-backend.ndjson");
    PersistedEvent[] records = [.. Enumerable.Range(0, 256).Select(i => Record(i))];

    // Events per second, timed until DisposeAsync returned: it drains the writer and waits for the
    // last group commit, so every event is durable by then.
    async Task<double> Actors(int perSpawner, bool persist = true)
    {
        File.Delete(path);
        var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
        var system = new ActorSystem(new ActorSystemOptions { SystemId = "bench", Persistence = persist ? backend : null });
        await system.StartAsync();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Spawners).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < perSpawner; i++)
            {
                ActorRef actor = system.Spawn<IdleActor>();
                await system.StopAsync(actor);
            }
        })));

        double spawned = stopwatch.Elapsed.TotalSeconds;
        await system.DisposeAsync();
        double seconds = stopwatch.Elapsed.TotalSeconds;
        if (Environment.GetEnvironmentVariable("PAPYRA_BENCH_DETAIL") is not null)
        {
            Console.WriteLine($"  spawning done after {spawned:0.000} s, all durable after {seconds:0.000} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.000} s");
        }

        if (!persist)
        {
            await backend.DisposeAsync();
            return 2L * Spawners * perSpawner / seconds;
        }

        await using var reader = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
        long written = (await reader.ReadEventsAsync()).Records.Count;
        if (written != 2L * Spawners * perSpawner)
        {
            throw new InvalidOperationException($"expected {2L * Spawners * perSpawner} persisted events, found {written}");
        }

        return written / seconds;
    }

    // The backend's own group-commit rate for the same number of records: 8 producers x 64 in flight.
    Task<double> Backend(int perSpawner) => BackendGroupCommit(backendPath, records, Spawners, 2 * perSpawner);

    (double actors, double backendRate) = await Interleaved(() => Actors(PerSpawner), () => Backend(PerSpawner), () => Actors(PerSpawner / 10), () => Backend(PerSpawner / 10), "actors", "backend");
    (double unpersisted, _) = await Interleaved(() => Actors(PerSpawner, persist: false), () => Task.FromResult(0.0), () => Actors(PerSpawner / 10, persist: false), () => Task.FromResult(0.0), "actors without persistence", "-");
    Console.WriteLine($"events: {2 * Spawners * PerSpawner:N0} per round ({Spawners} threads spawning+stopping {PerSpawner:N0} actors each); medians of 5 interleaved rounds after warm-up rounds until the JIT settled");
    Console.WriteLine($"actor system events persisted (Fsync group commit): {actors,12:N0} events/s");
    Console.WriteLine($"backend alone, 8 producers x 64 in flight:          {backendRate,12:N0} records/s");
    Console.WriteLine($"the same spawn+stop loop without persistence:        {unpersisted,12:N0} lifecycle events/s");
    Console.WriteLine($"ratio: {actors / backendRate:P0} of the backend's group-commit rate");
}

static async Task<double> BackendGroupCommit(string path, PersistedEvent[] records, int producers, int perProducer)
{
    const int InFlight = 64;
    File.Delete(path);
    TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var stopwatch = Stopwatch.StartNew();
    await using (var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false }))
    {
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var window = new Queue<Task>(InFlight);
            for (int i = 0; i < perProducer; i++)
            {
                if (window.Count == InFlight)
                {
                    await window.Dequeue();
                }

                window.Enqueue(backend.RecordEventAsync(records[(p + i) & 255]).AsTask());
            }

            await Task.WhenAll(window);
        })));
    }

    if (Environment.GetEnvironmentVariable("PAPYRA_BENCH_DETAIL") is not null)
    {
        Console.WriteLine($"  backend: {stopwatch.Elapsed.TotalSeconds:0.000} s, CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.000} s");
    }

    return producers * perProducer / stopwatch.Elapsed.TotalSeconds;
}

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static PersistedEvent Record(long i)
{
    using JsonDocument payload = JsonDocument.Parse($"{{\"seq\":{i.ToString(CultureInfo.InvariantCulture)},\"reason\":\"benchmark\"}}");
    return new PersistedEvent("local", new ActorAddress("local", 1 + (i % 64)), "ActorStarted", payload.RootElement, Timestamp(i));
}

// A record whose payload carries a string of the given text (a dead letter's message, a crash's error).
static PersistedEvent RecordWith(long i, string text)
{
    using JsonDocument payload = JsonDocument.Parse(JsonSerializer.Serialize(new { seq = i, reason = "benchmark", text }));
    return new PersistedEvent("local", new ActorAddress("local", 1 + (i % 64)), "ActorCrashed", payload.RootElement, Timestamp(i));
}

// What ActorSystem.Now() produces: Unix seconds from 100 ns ticks, so a fraction of up to 7 digits
// (formatting it costs more than formatting a whole number would).
static double Timestamp(long i) => (17_640_000_000_000_000L + i * 1_234_567L) / 1e7;

async Task GroupCommit()
{
    const int Producers = 8;
    const int InFlight = 64;
    const int PerProducer = 25_000;
    PersistedEvent[] records = [.. Enumerable.Range(0, 256).Select(i => Record(i))];
    byte[][] lines = [.. records.Select(r => PersistedRecordSerializer.SerializeLine(r))];
    string path = Path.Combine(directory, "groupcommit.ndjson");
    string rawPath = Path.Combine(directory, "groupcommit-raw.ndjson");

    Task<double> Papyra(int perProducer) => BackendGroupCommit(path, records, Producers, perProducer);

    Task<double> Raw(int total) => Task.Run(() =>
    {
        File.Delete(rawPath);
        var stopwatch = Stopwatch.StartNew();
        using (var raw = new FileStream(rawPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            for (int i = 0; i < total; i++)
            {
                raw.Write(lines[i & 255]);
                if (i % 100 == 99)
                {
                    raw.Flush(flushToDisk: true);
                }
            }

            raw.Flush(flushToDisk: true);
        }

        return total / stopwatch.Elapsed.TotalSeconds;
    });

    (double papyra, double ceiling) = await Interleaved(() => Papyra(PerProducer), () => Raw(Producers * PerProducer), () => Papyra(PerProducer / 10), () => Raw(Producers * PerProducer / 10));
    Console.WriteLine($"records: {Producers} producers x {PerProducer:N0}; medians of 5 interleaved rounds after warm-up rounds until the JIT settled");
    Console.WriteLine($"append Fsync group commit ({Producers} producers x {InFlight} in flight): {papyra,12:N0} records/s");
    Console.WriteLine($"raw FileStream, fsync every 100 lines (1 thread):        {ceiling,12:N0} records/s");
    Console.WriteLine($"ratio: {papyra / ceiling:P0} (target >= 80%)");
}

// Runs warm-ups of both sides (the JIT tiers loops up only after they ran a while), then five
// rounds alternating which side goes first; returns the median rate of each side.
static async Task<(double Papyra, double Raw)> Interleaved(Func<Task<double>> papyra, Func<Task<double>> raw, Func<Task<double>> papyraWarmUp, Func<Task<double>> rawWarmUp, string papyraName = "papyra", string rawName = "raw")
{
    const int Rounds = 5;
    await papyraWarmUp();
    await rawWarmUp();

    // Full-size warm-up rounds until a round leaves the JIT almost nothing to compile (tier-up and
    // dynamic PGO recompile hot methods for several rounds; timing them measured the JIT).
    for (int warmUp = 0; warmUp < 8; warmUp++)
    {
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        await papyra();
        await raw();
        if (System.Runtime.JitInfo.GetCompiledMethodCount() - compiled < 20)
        {
            break;
        }
    }

    var papyraRates = new List<double>();
    var rawRates = new List<double>();
    for (int round = 0; round < Rounds; round++)
    {
        if (round % 2 == 0)
        {
            papyraRates.Add(await papyra());
            rawRates.Add(await raw());
        }
        else
        {
            rawRates.Add(await raw());
            papyraRates.Add(await papyra());
        }
    }

    Console.WriteLine($"rounds: {papyraName} {string.Join(" ", papyraRates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}; {rawName} {string.Join(" ", rawRates.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}");
    return (papyraRates.Order().ElementAt(Rounds / 2), rawRates.Order().ElementAt(Rounds / 2));
}

async Task Latency()
{
    // Samples alternate between the two sides, so a slow stretch of the disk hits both alike.
    const int Samples = 2_000;
    string path = Path.Combine(directory, "latency.ndjson");
    string rawPath = Path.Combine(directory, "latency-raw.ndjson");
    File.Delete(path);
    File.Delete(rawPath);
    var papyra = new double[Samples];
    var raw = new double[Samples];
    PersistedEvent record = Record(1);
    byte[] line = PersistedRecordSerializer.SerializeLine(record);
    await using (var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false }))
    using (var stream = new FileStream(rawPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1))
    {
        for (int i = -200; i < Samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await backend.RecordEventAsync(record);
            double papyraMicros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            stream.Write(line);
            stream.Flush(flushToDisk: true);
            double rawMicros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (i >= 0)
            {
                papyra[i] = papyraMicros;
                raw[i] = rawMicros;
            }
        }
    }

    Console.WriteLine($"{Samples:N0} samples each, alternating, after 200 warm-up pairs");
    Console.WriteLine($"single awaited Fsync write:  p50 {Percentile(papyra, 0.50),8:N0} us   p99 {Percentile(papyra, 0.99),8:N0} us");
    Console.WriteLine($"raw write + fsync of a line: p50 {Percentile(raw, 0.50),8:N0} us   p99 {Percentile(raw, 0.99),8:N0} us");
}

async Task Buffered()
{
    // The lifecycle events the runtime writes are small; dead letters and crash events carry the
    // message or error text. The ratio is per-record CPU (serialising) against copying bytes, so it
    // grows with the record: the standard record first (the issue's figure), then larger payloads.
    var results = new List<(int Bytes, double Papyra, double Raw, double Serialising, double HandWritten, double PapyraAgainstHandWritten)>();
    foreach (int extra in new[] { 0, 1024, 4096 })
    {
        results.Add(await BufferedFor(extra));
    }

    Console.WriteLine("| record bytes | append None records/s | STJ source-gen loop records/s | ratio (target >= 100 %) | append None MB/s | raw copy MB/s (info) | ratio | same-serialiser loop MB/s (info) | ratio |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    foreach ((int bytes, double papyra, double raw, double serialising, double handWritten, double papyraAgainstHandWritten) in results)
    {
        Console.WriteLine($"| {bytes:N0} | {papyraAgainstHandWritten:N0} | {handWritten:N0} | {papyraAgainstHandWritten / handWritten:P1} | {papyra * bytes / 1e6:N0} | {raw * bytes / 1e6:N0} | {papyra / raw:P0} | {serialising * bytes / 1e6:N0} | {papyra / serialising:P0} |");
    }

    Console.WriteLine($"ratio: {results[0].PapyraAgainstHandWritten / results[0].HandWritten:P1} of the source-generated System.Text.Json loop for the standard record (target >= 100%); {results[0].Papyra / results[0].Raw:P0} of copying pre-serialised bytes (information)");
}

async Task<(int Bytes, double Papyra, double Raw, double Serialising, double HandWritten, double PapyraAgainstHandWritten)> BufferedFor(int extraPayload)
{
    string filler = new('x', extraPayload);
    PersistedEvent[] records = [.. Enumerable.Range(0, 256).Select(i => extraPayload == 0 ? Record(i) : RecordWith(i, filler))];
    byte[][] lines = [.. records.Select(r => PersistedRecordSerializer.SerializeLine(r))];
    int lineBytes = (int)lines.Average(l => l.Length);
    int count = Math.Max(100_000, 360_000_000 / lineBytes);
    string path = Path.Combine(directory, "buffered.ndjson");
    string rawPath = Path.Combine(directory, "buffered-raw.ndjson");

    async Task<double> Papyra(int count)
    {
        File.Delete(path);
        var stopwatch = Stopwatch.StartNew();
        await using (var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, Durability = PersistenceDurability.None, PublishMetrics = false }))
        {
            for (int i = 0; i < count; i++)
            {
                await backend.RecordEventAsync(records[i & 255]);
            }
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    }

    // The ceiling writes the same lines, already serialised: pure buffered file bandwidth.
    Task<double> Raw(int count) => Task.Run(() =>
    {
        File.Delete(rawPath);
        var stopwatch = Stopwatch.StartNew();
        using (var raw = new FileStream(rawPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            for (int i = 0; i < count; i++)
            {
                raw.Write(lines[i & 255]);
            }
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    });

    // A second reference: the same serialiser feeding a plain FileStream, to separate the cost of
    // producing JSON from the cost of the backend's append path.
    Task<double> SerialiseAndWrite(int count) => Task.Run(() =>
    {
        File.Delete(rawPath);
        var stopwatch = Stopwatch.StartNew();
        using (var raw = new FileStream(rawPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
            for (int i = 0; i < count; i++)
            {
                buffer.ResetWrittenCount();
                PersistedRecordSerializer.WriteLine(buffer, records[i & 255]);
                raw.Write(buffer.WrittenSpan);
            }
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    });

    // What a user writes by hand: their own record type, System.Text.Json's source-generated
    // serializer into a reused buffer (a Utf8JsonWriter over the FileStream itself would flush the
    // stream, one write system call, per record), the line appended to a buffered FileStream.
    HandWrittenEvent[] handWritten = [.. records.Select(HandWrittenEvent.From)];
    Task<double> HandWrittenLoop(int count) => Task.Run(() =>
    {
        File.Delete(rawPath);
        var stopwatch = Stopwatch.StartNew();
        using (var raw = new FileStream(rawPath, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
            using var writer = new Utf8JsonWriter(buffer);
            for (int i = 0; i < count; i++)
            {
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                JsonSerializer.Serialize(writer, handWritten[i & 255], HandWrittenContext.Default.HandWrittenEvent);
                writer.Flush();
                buffer.GetSpan(1)[0] = (byte)'\n';
                buffer.Advance(1);
                raw.Write(buffer.WrittenSpan);
            }
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    });

    // The two sides write the same lines (checked here, not assumed).
    string papyraLine = System.Text.Encoding.UTF8.GetString(lines[7]);
    string handWrittenLine = JsonSerializer.Serialize(handWritten[7], HandWrittenContext.Default.HandWrittenEvent) + "\n";
    if (papyraLine != handWrittenLine)
    {
        throw new InvalidOperationException($"The hand-written loop writes other lines:\n{papyraLine}{handWrittenLine}");
    }

    Console.WriteLine($"records of {lineBytes:N0} bytes, {count:N0} per round:");
    (double papyraHand, double hand) = await Interleaved(() => Papyra(count), () => HandWrittenLoop(count), () => Papyra(count / 10), () => HandWrittenLoop(count / 10), "papyra", "STJ source-gen loop");
    (double papyra, double raw) = await Interleaved(() => Papyra(count), () => Raw(count), () => Papyra(count / 10), () => Raw(count / 10));
    (_, double serialising) = await Interleaved(() => Papyra(count), () => SerialiseAndWrite(count), () => Papyra(count / 10), () => SerialiseAndWrite(count / 10), "papyra", "same-serialiser loop");
    File.Delete(path);
    File.Delete(rawPath);
    return (lineBytes, papyra, raw, serialising, hand, papyraHand);
}

async Task Scan(int megabytes)
{
    string path = Path.Combine(directory, $"scan-{megabytes}mb.ndjson");
    if (!File.Exists(path) || new FileInfo(path).Length < megabytes * 1_000_000L)
    {
        byte[][] lines = [.. Enumerable.Range(0, 256).Select(i => PersistedRecordSerializer.SerializeLine(Record(i)))];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long i = 0; file.Length < megabytes * 1_000_000L; i++)
        {
            file.Write(lines[i & 255]);
        }
    }

    long size = new FileInfo(path).Length;

    // Both sides get one warm-up pass (the JIT tiers the line loops up only after they ran for a
    // while; a cold pass runs tier-0 code for most of a second), then five measured passes each,
    // alternating which goes first; the medians count.
    const int Passes = 5;
    _ = await Baseline(path);
    _ = await PapyraScan(path);
    var baselineSeconds = new List<double>();
    var scanSeconds = new List<double>();
    var baselineCpu = new List<double>();
    var scanCpu = new List<double>();
    long baselineLines = 0;
    PersistenceScanReport? report = null;
    using Process self = Process.GetCurrentProcess();
    for (int round = 0; round < Passes; round++)
    {
        if (round % 2 == 0)
        {
            baselineLines = await Timed(() => Baseline(path), baselineSeconds, baselineCpu);
            report = await Timed(() => PapyraScan(path), scanSeconds, scanCpu);
        }
        else
        {
            report = await Timed(() => PapyraScan(path), scanSeconds, scanCpu);
            baselineLines = await Timed(() => Baseline(path), baselineSeconds, baselineCpu);
        }
    }

    async Task<T> Timed<T>(Func<Task<T>> pass, List<double> seconds, List<double> cpuSeconds)
    {
        self.Refresh();
        TimeSpan cpu = self.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        T result = await pass();
        seconds.Add(stopwatch.Elapsed.TotalSeconds);
        self.Refresh();
        cpuSeconds.Add((self.TotalProcessorTime - cpu).TotalSeconds);
        return result;
    }

    double baselineMedian = baselineSeconds.Order().ElementAt(Passes / 2);
    double scanMedian = scanSeconds.Order().ElementAt(Passes / 2);
    Console.WriteLine($"file: {size / 1e6:N0} MB, {baselineLines:N0} lines (page cache warm); medians of {Passes} interleaved passes after one warm-up pass each");
    Console.WriteLine($"Papyra ScanAsync:                 {size / scanMedian / 1e6,8:N0} MB/s ({report!.RecordsScanned:N0} records, {report.TotalAnomalies} anomalies; passes {string.Join(" ", scanSeconds.Select(s => $"{size / s / 1e6:N0}"))} MB/s)");
    Console.WriteLine($"plain Utf8JsonReader validation:  {size / baselineMedian / 1e6,8:N0} MB/s (passes {string.Join(" ", baselineSeconds.Select(s => $"{size / s / 1e6:N0}"))} MB/s)");
    Console.WriteLine($"process CPU seconds per pass (less sensitive to other load): Papyra {string.Join(" ", scanCpu.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}, plain {string.Join(" ", baselineCpu.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture)))}; CPU ratio {baselineCpu.Order().ElementAt(Passes / 2) / scanCpu.Order().ElementAt(Passes / 2):P0}");
    Console.WriteLine($"ratio: {baselineMedian / scanMedian:P0} (target >= 90%)");
}

static async Task<PersistenceScanReport> PapyraScan(string path)
{
    await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
    return await backend.ScanAsync();
}

// A plain validation pass: split lines in a 1 MiB buffer, run Utf8JsonReader over each to the end.
static Task<long> Baseline(string path) => Task.Run(() =>
{
    using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
    byte[] buffer = new byte[1 << 20];
    int start = 0;
    int end = 0;
    long lines = 0;
    while (true)
    {
        int read = file.Read(buffer, end, buffer.Length - end);
        end += read;
        int newline;
        while ((newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(start, newline));
            try
            {
                while (reader.Read())
                {
                }
            }
            catch (JsonException)
            {
            }

            lines++;
            start += newline + 1;
        }

        if (read == 0)
        {
            return lines;
        }

        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
    }
});

static async Task ScanMemory(string path)
{
    long size = new FileInfo(path).Length;
    var stopwatch = Stopwatch.StartNew();
    PersistenceScanReport report;
    await using (var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false }))
    {
        report = await backend.ScanAsync();
    }

    using Process self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine($"scanned {size / 1e6:N0} MB in {stopwatch.Elapsed.TotalSeconds:N1} s: {report.RecordsScanned:N0} records, {report.TotalAnomalies} anomalies");
    Console.WriteLine($"peak working set {self.PeakWorkingSet64 / 1e6:N0} MB, managed allocations {GC.GetTotalAllocatedBytes(precise: true) / 1e6:N0} MB, GC heap now {GC.GetTotalMemory(false) / 1e6:N0} MB");
}

static double Percentile(double[] samples, double p)
{
    double[] sorted = [.. samples.Order()];
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>An actor that does nothing: its lifecycle events are the load.</summary>
internal sealed class IdleActor : Actor
{
}
