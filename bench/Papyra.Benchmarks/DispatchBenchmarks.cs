using BenchmarkDotNet.Attributes;
using Papyra;

namespace PapyraBenchmarks;

/// <summary>Dispatch between actors: a message bounced between two actors (each hop is a tell, a schedule and a receive).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DispatchBenchmarks
{
    private const int Hops = 1000;
    private readonly Bounce _bounce = new();
    private ActorSystem _system = null!;
    private BouncerActor _a = null!;
    private BouncerActor _b = null!;
    private ActorRef _refA = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = new ActorSystem();
        _system.StartAsync().GetAwaiter().GetResult();
        _a = new BouncerActor();
        _b = new BouncerActor();
        _refA = _system.Spawn(() => _a);
        ActorRef refB = _system.Spawn(() => _b);
        _a.Partner = refB;
        _b.Partner = _refA;
        PingPong();
    }

    [GlobalCleanup]
    public void Cleanup() => _system.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Hops)]
    public void PingPong()
    {
        // Each actor counts its own receives; together they make Hops hops.
        long targetA = Volatile.Read(ref _a.Counter.Value) + (Hops / 2);
        _bounce.Until = targetA;
        _refA.Tell(_bounce);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _a.Counter.Value) < targetA)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
