using BenchmarkDotNet.Attributes;
using Papyra;

namespace PapyraBenchmarks;

/// <summary>Tell: a batch of messages to one actor, waiting until it processed them.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TellBenchmarks
{
    private const int Batch = 1000;
    private static readonly object Message = new();
    private readonly CountingActor.Counter _counter = new();
    private ActorSystem _system = null!;
    private ActorRef _actor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = new ActorSystem();
        _system.StartAsync().GetAwaiter().GetResult();
        _actor = _system.Spawn(() => new CountingActor(_counter));
        Tell();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Tell()
    {
        long target = Volatile.Read(ref _counter.Value) + Batch;
        for (int i = 0; i < Batch; i++)
        {
            _actor.Tell(Message);
        }

        var spinner = new SpinWait();
        while (Volatile.Read(ref _counter.Value) < target)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
