using BenchmarkDotNet.Attributes;

namespace Papyra.Generators.Benchmarks;

/// <summary>
/// Tells through a running actor system to an actor with generated dispatch, with the typed proxy
/// and with the untyped reference. Each invocation sends a batch and then asks once (a handler
/// without a result, so the reply is null and nothing is boxed): every message has been processed,
/// and its allocations counted on any thread, when it returns. The batch stays below the mailbox's
/// largest ring segment (1024), which the mailbox then reuses without allocating.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class TellBenchmarks
{
    private const int Batch = 512;
    private static readonly Increment Message = new(1);
    private static readonly Sync Barrier = new();
    private ActorSystem _system = null!;
    private GeneratedCounterRef _counter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = new ActorSystem();
        _system.StartAsync().GetAwaiter().GetResult();
        _counter = _system.SpawnGeneratedCounter();
        _counter.Ref.AskAsync<object?>(Barrier).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task<object?> Tell_untyped_ref()
    {
        ActorRef actor = _counter.Ref;
        for (int i = 0; i < Batch; i++)
        {
            actor.Tell(Message);
        }

        return await actor.AskAsync<object?>(Barrier);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<object?> Tell_generated_proxy()
    {
        GeneratedCounterRef counter = _counter;
        for (int i = 0; i < Batch; i++)
        {
            counter.Increment(Message);
        }

        return await counter.Ref.AskAsync<object?>(Barrier);
    }
}
