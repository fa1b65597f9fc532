using BenchmarkDotNet.Attributes;

namespace Papyra.Generators.Benchmarks;

/// <summary>
/// Generated dispatch against the hand-written switch: the same eight message types in rotation
/// (so every case position is exercised), called directly on the actor outside a system.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class DispatchBenchmarks
{
    private const int Messages = 1024;
    private readonly object[] _messages = new object[Messages];
#pragma warning disable PAP1005 // the benchmark calls the receive path directly to time dispatch alone, without a mailbox
    private readonly GeneratedCounter _generated = new();
    private readonly HandWrittenCounter _handWritten = new();
#pragma warning restore PAP1005

    [GlobalSetup]
    public void Setup()
    {
        object[] kinds = [new Increment(2), new Decrement(1), new Reset(), new Touch(), new Rename("r"), new Tag("t"), new Flag(true), new Increment(5)];
        for (int i = 0; i < Messages; i++)
        {
            _messages[i] = kinds[i % kinds.Length];
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public long Hand_written_switch()
    {
        HandWrittenCounter actor = _handWritten;
        foreach (object message in _messages)
        {
            _ = actor.Dispatch(message);
        }

        return actor.Total;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public long Generated_switch()
    {
        GeneratedCounter actor = _generated;
        foreach (object message in _messages)
        {
            _ = actor.Dispatch(message);
        }

        return actor.Total;
    }
}
