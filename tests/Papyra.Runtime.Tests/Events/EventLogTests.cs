using Papyra.Events;

namespace Papyra.Runtime.Tests.Events;

/// <summary>The recent-events ring: exactly the last capacity events, in number order, whatever the capacity.</summary>
public sealed class EventLogTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(1_000)]
    [InlineData(4_096)]
    public async Task The_snapshot_holds_the_last_capacity_events_appended_from_several_threads_in_number_order(int capacity)
    {
        const int Threads = 4;
        const int PerThread = 3_000;
        var log = new EventLog(capacity);
        using var start = new Barrier(Threads);
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (int i = 0; i < PerThread; i++)
                {
                    log.Append(new ActorStarted(new ActorAddress("test", (t * PerThread) + i + 1), 1.0));
                }
            },
            TaskCreationOptions.LongRunning)));

        IReadOnlyList<ActorEvent> recent = log.Snapshot();
        long last = Threads * PerThread;
        Assert.Equal(last, log.LastSequence);
        Assert.Equal(Enumerable.Range((int)(last - capacity + 1), capacity).Select(n => (long)n), recent.Select(e => e.Sequence));

        // Each event is the one that got its number (no slot holds an older or a foreign one).
        Assert.Equal(capacity, recent.Select(e => e.Address).Distinct().Count());
    }

    [Fact]
    public void Fewer_events_than_the_capacity_are_all_in_the_snapshot()
    {
        var log = new EventLog(100);
        for (int i = 1; i <= 70; i++)
        {
            log.Append(new ActorStarted(new ActorAddress("test", i), i));
        }

        Assert.Equal(Enumerable.Range(1, 70).Select(n => (long)n), log.Snapshot().Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 70).Select(n => (double)n), log.Snapshot().Select(e => e.Timestamp));
    }
}
