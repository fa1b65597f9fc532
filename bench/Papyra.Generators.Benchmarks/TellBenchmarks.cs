using BenchmarkDotNet.Attributes;

namespace Papyra.Generators.Benchmarks;

/// <summary>
/// Tells through a running actor system to an actor with generated dispatch, with the typed proxy
/// and with the untyped reference. Each invocation sends a batch and then asks once, so every
/// message has been processed (and its allocations counted, on any thread) when it returns.
/// </summary>
[MemoryDiagnoser]
public class TellBenchmarks
{
    private const int Batch = 4096;
    private static readonly Increment Message = new(1);
    private static readonly GetTotal Query = new();
    private ActorSystem _system = null!;
    private GeneratedCounterRef _counter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = new ActorSystem();
        _system.StartAsync().GetAwaiter().GetResult();
        _counter = _system.SpawnGeneratedCounter();
        _counter.GetAsync(Query).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task<long> Tell_untyped_ref()
    {
        ActorRef actor = _counter.Ref;
        for (int i = 0; i < Batch; i++)
        {
            actor.Tell(Message);
        }

        return await actor.AskAsync<long>(Query);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<long> Tell_generated_proxy()
    {
        GeneratedCounterRef counter = _counter;
        for (int i = 0; i < Batch; i++)
        {
            counter.Increment(Message);
        }

        return await counter.GetAsync(Query);
    }
}
