using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Codec;
using StackExchange.Redis;

namespace Papyra.Redis.Benchmarks;

/// <summary>
/// Pipelined appends through <see cref="RedisStreamsPersistenceBackend"/> (encode + XADD + metrics)
/// against raw StackExchange.Redis pipelined XADD of distinct, already-encoded entries of exactly the
/// same shape and size, against the same private redis-server in the same run.
/// Target: the backend reaches at least 90% of raw.
/// </summary>
[MemoryDiagnoser]
public class PipelinedAppendBenchmarks
{
    public const int RecordsPerOperation = 10_000;

    private string _backendStream = "bench:backend:records";
    private string _rawStream = "bench:raw:records";

    private readonly ValueTask[] _pending = new ValueTask[RecordsPerOperation];
    private readonly Task<RedisValue>[] _rawPending = new Task<RedisValue>[RecordsPerOperation];
    private readonly byte[][] _rawPayloads = new byte[RecordsPerOperation][];
    private RedisValue _rawField;
    private RedisProcess? _redis;
    private RedisStreamsPersistenceBackend? _backend;
    private IConnectionMultiplexer? _raw;
    private IDatabase? _database;
    private PersistedEvent? _record;

    [Params(RedisRecordEncoding.MessagePack, RedisRecordEncoding.Json)]
    public RedisRecordEncoding Encoding { get; set; }

    /// <summary>
    /// A Redis Cluster to run against (its URL with every node) instead of a private redis-server; both
    /// sides then use hash-tagged keys of one slot, on the same master.
    /// </summary>
    public string? ClusterUrl { get; set; }

    /// <summary>The backend's <see cref="RedisStreamsOptions.MinReplicas"/> (replicated durability); 0 by default.</summary>
    public int MinReplicas { get; set; }

    /// <summary>The size of one entry's payload field in bytes.</summary>
    public long PayloadBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        string url;
        if (ClusterUrl is null)
        {
            _redis = RedisProcess.Start();
            url = $"redis://127.0.0.1:{_redis.Port}/0";
        }
        else
        {
            url = ClusterUrl;
        }

        RedisStreamsOptions options = RedisStreamsOptions.FromUrl(url) with
        {
            KeyPrefix = "bench",
            SystemId = "backend",
            Encoding = Encoding,
            MetricsPublishInterval = null,
            KeyLayout = ClusterUrl is null ? RedisKeyLayout.Legacy : RedisKeyLayout.HashTagged,
            MinReplicas = MinReplicas,
        };
        _backendStream = options.Keys.Records;
        _rawStream = ClusterUrl is null ? "bench:raw:records" : $"bench:{{backend}}:raw";
        _backend = RedisStreamsPersistenceBackend.ConnectAsync(options).GetAwaiter().GetResult();
        _raw = RedisStreamsStore.ConnectAsync(options with { SystemId = "raw" }).GetAwaiter().GetResult();
        _database = _raw.GetDatabase();
        using var payload = JsonDocument.Parse("""{"reason":"normal","mailbox":"unbounded","restarts":0}""");
        _record = new PersistedEvent("backend", new ActorAddress("backend", 42), "ActorStarted", payload.RootElement, 1_764_000_000.125);

        // The raw client gets its entries encoded before the clock starts: distinct arrays (as real
        // records would be), each a copy of what the backend sends for the record.
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            _rawField = RedisRecordCodec.Encode(_record, Encoding, out _rawPayloads[i]);
            PayloadBytes = _rawPayloads[i].Length;
        }
    }

    [IterationSetup]
    public void ClearStreams()
    {
        // One key per call: on a cluster a multi-key DEL must stay in one slot (both are, with hash tags).
        _database!.KeyDelete(_backendStream);
        _database!.KeyDelete(_rawStream);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RecordsPerOperation)]
    public async Task Raw_StackExchangeRedis_pipelined_XADD()
    {
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            // The same single-field XADD overload the backend uses (the NameValueEntry[] overload
            // costs the client more per command, which flattered the backend).
            _rawPending[i] = _database!.StreamAddAsync(_rawStream, _rawField, _rawPayloads[i]);
        }

        for (int i = 0; i < RecordsPerOperation; i++)
        {
            await _rawPending[i];
        }
    }

    [Benchmark(OperationsPerInvoke = RecordsPerOperation)]
    public async Task Backend_pipelined_appends()
    {
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            _pending[i] = _backend!.RecordEventAsync(_record!);
        }

        for (int i = 0; i < RecordsPerOperation; i++)
        {
            await _pending[i];
        }
    }

    /// <summary>
    /// One round of either side, with the bytes the calling thread allocated while issuing the appends and
    /// while awaiting them (synchronously: each await blocks, so the awaiting stays on this thread).
    /// </summary>
    public async Task<(long Issue, long Await)> MeasureThreadAllocationsAsync(bool raw)
    {
        await Task.Yield();
        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            if (raw)
            {
                _rawPending[i] = _database!.StreamAddAsync(_rawStream, _rawField, _rawPayloads[i]);
            }
            else
            {
                _pending[i] = _backend!.RecordEventAsync(_record!);
            }
        }

        long issued = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            if (raw)
            {
                _rawPending[i].GetAwaiter().GetResult();
            }
            else
            {
                _pending[i].GetAwaiter().GetResult();
            }
        }

        long awaited = GC.GetAllocatedBytesForCurrentThread();
        return (issued - start, awaited - issued);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _backend?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw?.Dispose();
        _redis?.Dispose();
    }
}
