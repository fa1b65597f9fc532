using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Mailboxes;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>The hot paths allocate nothing in steady state (BenchmarkDotNet's MemoryDiagnoser shows the same in bench/).</summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    private static readonly object Ping = new();

    [Fact]
    public async Task Tell_allocates_nothing_in_steady_state()
    {
        await using var system = await TestSystem.StartAsync();
        var counter = new SinkActor.Counter();
        ActorRef actor = system.Spawn(() => new SinkActor(counter));
        SendAndWait(actor, counter, 10_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        SendAndWait(actor, counter, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Ask_allocates_nothing_in_steady_state()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn(() => new SinkActor(new SinkActor.Counter()));
        AskMany(actor, 10_000);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        AskMany(actor, 20_000);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // The whole process is measured (the actor's thread included); allow for unrelated runtime noise.
        Assert.True(allocated < 20_000, $"{allocated} bytes for 20000 asks");
    }

    private static void SendAndWait(ActorRef actor, SinkActor.Counter counter, int count)
    {
        for (int i = 0; i < count; i++)
        {
            long target = Volatile.Read(ref counter.Value) + 1;
            actor.Tell(Ping);
            var spinner = new SpinWait();
            while (Volatile.Read(ref counter.Value) < target)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private static void AskMany(ActorRef actor, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ValueTask<object> reply = actor.AskAsync<object>(Ping);
            var spinner = new SpinWait();
            while (!reply.IsCompleted)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            Assert.Same(Ping, reply.GetAwaiter().GetResult());
        }
    }

    private sealed class SinkActor(SinkActor.Counter counter) : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counter.Value);
            return new ValueTask<object?>(message);
        }

        public sealed class Counter
        {
            public long Value;
        }
    }
}
