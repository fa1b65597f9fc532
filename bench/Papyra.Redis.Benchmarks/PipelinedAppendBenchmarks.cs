using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Redis;
using StackExchange.Redis;

namespace Papyra.Redis.Benchmarks;

/// <summary>
/// Pipelined appends through <see cref="RedisStreamsPersistenceBackend"/> (encode + XADD + metrics)
/// against raw StackExchange.Redis pipelined XADD of pre-encoded entries of the same size, against
/// the same private redis-server in the same run. Target: the backend reaches at least 90% of raw.
/// </summary>
[MemoryDiagnoser]
public class PipelinedAppendBenchmarks
{
    public const int RecordsPerOperation = 10_000;

    private RedisProcess? _redis;
    private RedisStreamsPersistenceBackend? _backend;
    private IConnectionMultiplexer? _raw;
    private IDatabase? _database;
    private PersistedEvent? _record;
    private NameValueEntry[]? _rawFields;
    private readonly ValueTask[] _pending = new ValueTask[RecordsPerOperation];
    private readonly Task<RedisValue>[] _rawPending = new Task<RedisValue>[RecordsPerOperation];

    [Params(RedisRecordEncoding.MessagePack, RedisRecordEncoding.Json)]
    public RedisRecordEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _redis = RedisProcess.Start();
        RedisStreamsOptions options = RedisStreamsOptions.FromUrl($"redis://127.0.0.1:{_redis.Port}/0") with
        {
            KeyPrefix = "bench",
            SystemId = "backend",
            Encoding = Encoding,
            MetricsPublishInterval = null,
        };
        _backend = RedisStreamsPersistenceBackend.ConnectAsync(options).GetAwaiter().GetResult();
        _raw = RedisStreamsStore.ConnectAsync(options with { SystemId = "raw" }).GetAwaiter().GetResult();
        _database = _raw.GetDatabase();
        using var payload = JsonDocument.Parse("""{"reason":"normal","mailbox":"unbounded","restarts":0}""");
        _record = new PersistedEvent("backend", new ActorAddress("backend", 42), "ActorStarted", payload.RootElement, 1_764_000_000.125);

        // The raw baseline sends entries of exactly the size the backend sends, encoded once up front.
        _backend.RecordEventAsync(_record).AsTask().GetAwaiter().GetResult();
        StreamEntry sample = _database.StreamRange("bench:backend:records", count: 1)[0];
        _rawFields = sample.Values;
        Console.Error.WriteLine($"// entry payload bytes: {sample.Values.Sum(v => (long)v.Value.Length())} ({Encoding})");
    }

    [IterationSetup]
    public void ClearStreams() => _database!.KeyDelete(["bench:backend:records", "bench:raw:records"]);

    [Benchmark(Baseline = true, OperationsPerInvoke = RecordsPerOperation)]
    public async Task Raw_StackExchangeRedis_pipelined_XADD()
    {
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            _rawPending[i] = _database!.StreamAddAsync("bench:raw:records", _rawFields!);
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

    public void EncodeOnly()
    {
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            _ = Papyra.Persistence.Redis.Codec.RedisRecordCodec.Encode(_record!, Encoding, out _);
        }
    }

    public async Task Raw_with_fresh_arrays()
    {
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            NameValueEntry[] fields = [new(_rawFields![0].Name, _rawFields[0].Value), new(_rawFields[1].Name, ((byte[])_rawFields[1].Value!).ToArray())];
            _rawPending[i] = _database!.StreamAddAsync("bench:raw:records", fields);
        }

        for (int i = 0; i < RecordsPerOperation; i++)
        {
            await _rawPending[i];
        }
    }

    public async Task Raw_with_codec()
    {
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            NameValueEntry[] fields = Papyra.Persistence.Redis.Codec.RedisRecordCodec.Encode(_record!, Encoding, out _);
            _rawPending[i] = _database!.StreamAddAsync("bench:raw:records", fields);
        }

        for (int i = 0; i < RecordsPerOperation; i++)
        {
            await _rawPending[i];
        }
    }

    public async Task Backend_whenall()
    {
        var tasks = new Task[RecordsPerOperation];
        for (int i = 0; i < RecordsPerOperation; i++)
        {
            tasks[i] = _backend!.RecordEventAsync(_record!).AsTask();
        }

        await Task.WhenAll(tasks);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _backend?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw?.Dispose();
        _redis?.Dispose();
    }
}
