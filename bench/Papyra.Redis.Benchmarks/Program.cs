using System.Globalization;
using BenchmarkDotNet.Running;
using Papyra.Redis.Benchmarks;

// `compare [rounds] [minimum warm-up rounds] [json,msgpack]`: the interleaved ≥ 90 % check (exit code 1 when
// missed); warm-up goes on until the JIT has settled.
// `encode`: encoding cost alone; `decode`: decoding cost alone; `alloc msgpack|json`: allocations per append on the calling thread. `profile raw|backend msgpack|json seconds`: one side in a loop, for perf.
// Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare")
{
    int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
    int warmup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : InterleavedComparison.DefaultWarmupRounds;

    // `compare 60 30 json,msgpack`: the encodings in another order (the first one measured shares the
    // process with the start-up's JIT and thread-pool ramp-up).
    Papyra.Persistence.Redis.RedisRecordEncoding[]? encodings = args.Length > 3
        ? [.. args[3].Split(',').Select(e => e == "json" ? Papyra.Persistence.Redis.RedisRecordEncoding.Json : Papyra.Persistence.Redis.RedisRecordEncoding.MessagePack)]
        : null;
    return await InterleavedComparison.RunAsync(rounds, warmup, encodings: encodings);
}

if (args.Length > 0 && args[0] == "cluster")
{
    // `cluster [rounds] [replicated rounds]`: the same interleaved check on a private Redis Cluster
    // (three masters, one replica each), then the cost of MinReplicas = 1.
    int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
    int replicatedRounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
    using var cluster = RedisClusterProcess.Start();
    Console.WriteLine($"Redis Cluster: {cluster.Url}");
    int code = await InterleavedComparison.RunAsync(rounds, InterleavedComparison.DefaultWarmupRounds, cluster.Url);
    await InterleavedComparison.RunReplicatedAsync(cluster.Url, replicatedRounds, warmupRounds: 3);
    return code;
}

if (args.Length > 0 && args[0] == "encode")
{
    // `encode`: the per-record encoding cost alone (no Redis), single thread.
    using var payload = System.Text.Json.JsonDocument.Parse("""{"reason":"normal","mailbox":"unbounded","restarts":0}""");
    var record = new Papyra.Persistence.PersistedEvent("backend", new Papyra.ActorAddress("backend", 42), "ActorStarted", payload.RootElement, 1_764_000_000.125);
    foreach (var enc in new[] { Papyra.Persistence.Redis.RedisRecordEncoding.MessagePack, Papyra.Persistence.Redis.RedisRecordEncoding.Json })
    {
        for (int round = 0; round < 8; round++)
        {
            const int n = 2_000_000;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                Papyra.Persistence.Redis.Codec.RedisRecordCodec.Encode(record, enc, out byte[] bytes);
            }

            Console.WriteLine($"{enc}: {clock.Elapsed.TotalNanoseconds / n:F1} ns/record, {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)n:F0} B/record");
        }

        // The append path: encoded into this thread's payload slab, released at once (as if acknowledged).
        for (int round = 0; round < 8; round++)
        {
            const int n = 2_000_000;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                Papyra.Persistence.Redis.Codec.RedisRecordCodec.EncodeForAppend(record, enc, out _, out Papyra.Persistence.Redis.Codec.PayloadSlab? slab);
                slab?.Release();
            }

            Console.WriteLine($"{enc} (append path, into the slab): {clock.Elapsed.TotalNanoseconds / n:F1} ns/record, {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)n:F0} B/record");
        }
    }

    return 0;
}

if (args.Length > 0 && args[0] == "decode")
{
    // `decode`: the per-entry decoding cost alone (no Redis), single thread: an entry as XRANGE hands it
    // over, decoded into a record whose payload is then read (as a reader of the record would).
    using var payload = System.Text.Json.JsonDocument.Parse("""{"reason":"normal","mailbox":"unbounded","restarts":0}""");
    var record = new Papyra.Persistence.PersistedEvent("backend", new Papyra.ActorAddress("backend", 42), "ActorStarted", payload.RootElement, 1_764_000_000.125);
    foreach (var enc in new[] { Papyra.Persistence.Redis.RedisRecordEncoding.MessagePack, Papyra.Persistence.Redis.RedisRecordEncoding.Json })
    {
        var entry = new StackExchange.Redis.StreamEntry("1-1", Papyra.Persistence.Redis.Codec.RedisRecordCodec.EncodeEntry(record, enc, out _));
        for (int round = 0; round < 8; round++)
        {
            const int n = 500_000;
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int kinds = 0;
            for (int i = 0; i < n; i++)
            {
                var decoded = Papyra.Persistence.Redis.Codec.RedisRecordCodec.Decode(entry);
                kinds += ((Papyra.Persistence.PersistedEvent)decoded.Record!).Payload.ValueKind == System.Text.Json.JsonValueKind.Object ? 1 : 0;
            }

            if (kinds != n)
            {
                throw new InvalidOperationException("an entry did not decode to its record");
            }

            Console.WriteLine($"{enc}: {clock.Elapsed.TotalNanoseconds / n:F1} ns/entry, {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)n:F0} B/entry");
        }
    }

    return 0;
}

if (args.Length > 0 && args[0] == "alloc")
{
    // `alloc msgpack|json [rounds]`: bytes allocated per append on the calling thread, issuing and awaiting
    // apart, for raw XADD and the backend (the thread's own allocations only: not the reply reader's).
    var bench = new PipelinedAppendBenchmarks { Encoding = args.Length > 1 && args[1] == "json" ? Papyra.Persistence.Redis.RedisRecordEncoding.Json : Papyra.Persistence.Redis.RedisRecordEncoding.MessagePack };
    bench.Setup();
    int allocRounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
    for (int round = 0; round < allocRounds; round++)
    {
        bench.ClearStreams();
        (long rawIssue, long rawAwait) = await bench.MeasureThreadAllocationsAsync(raw: true);
        bench.ClearStreams();
        (long backendIssue, long backendAwait) = await bench.MeasureThreadAllocationsAsync(raw: false);
        if (round >= allocRounds - 5)
        {
            double n = PipelinedAppendBenchmarks.RecordsPerOperation;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"issue raw {rawIssue / n:F1} B, backend {backendIssue / n:F1} B per append; await raw {rawAwait / n:F1} B, backend {backendAwait / n:F1} B per append"));
        }
    }

    bench.Cleanup();
    return 0;
}

if (args.Length > 0 && args[0] == "profile")
{
    // `profile raw|backend msgpack|json seconds`: one side only, in a loop, for perf.
    var bench = new PipelinedAppendBenchmarks { Encoding = args[2] == "json" ? Papyra.Persistence.Redis.RedisRecordEncoding.Json : Papyra.Persistence.Redis.RedisRecordEncoding.MessagePack };
    bench.Setup();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    long ops = 0;
    long allocated = GC.GetTotalAllocatedBytes();
    int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    TimeSpan pause = GC.GetTotalPauseDuration();
    long workItems = ThreadPool.CompletedWorkItemCount;
    while (clock.Elapsed.TotalSeconds < double.Parse(args[3], CultureInfo.InvariantCulture))
    {
        bench.ClearStreams();
        await (args[1] == "raw" ? bench.Raw_StackExchangeRedis_pipelined_XADD() : bench.Backend_pipelined_appends());
        ops++;
    }

    double records = ops * PipelinedAppendBenchmarks.RecordsPerOperation;
    Console.WriteLine($"{records / clock.Elapsed.TotalSeconds:N0} records/s, {(GC.GetTotalAllocatedBytes() - allocated) / records:N0} B allocated per record, GCs per round gen0 {(GC.CollectionCount(0) - collections[0]) / (double)ops:F2} gen1 {(GC.CollectionCount(1) - collections[1]) / (double)ops:F2} gen2 {(GC.CollectionCount(2) - collections[2]) / (double)ops:F2}, pause {(GC.GetTotalPauseDuration() - pause).TotalNanoseconds / records:N0} ns per record, thread-pool work items per round {(ThreadPool.CompletedWorkItemCount - workItems) / (double)ops:N0}");
    bench.Cleanup();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(PipelinedAppendBenchmarks).Assembly).Run(args);
return 0;
