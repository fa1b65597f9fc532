using BenchmarkDotNet.Attributes;
using Papyra;

namespace PapyraBenchmarks;

/// <summary>Ask: sequential request/response with the default timeout armed on every ask.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AskBenchmarks
{
    private const int Batch = 1000;
    private static readonly object Message = new();
    private ActorSystem _system = null!;
    private ActorRef _actor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = new ActorSystem();
        _system.StartAsync().GetAwaiter().GetResult();
        _actor = _system.Spawn<EchoActor>();
        AskAwaited().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Awaited asks (one async method per batch, so its own Task is amortised).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task AskAwaited()
    {
        for (int i = 0; i < Batch; i++)
        {
            await _actor.AskAsync<object>(Message);
        }
    }
}
