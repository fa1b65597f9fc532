using Papyra.Persistence;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

/// <summary>
/// A shutdown that begins while an actor is still finishing its stop waits for it, so its last
/// event reaches the store. A cell used to leave the registry before it emitted its
/// <see cref="ActorStopped"/>: a shutdown listing the registry in that window did not wait for
/// it, closed the store, and the event came after (the comparison harness counted 3 of 1,000,020
/// events missing from the file). The clock here holds the stopping thread inside that window
/// (the event's timestamp is read there) until the shutdown has begun.
/// </summary>
public sealed class StopThenDisposeTests
{
    [Fact]
    public async Task An_actor_still_finishing_its_stop_when_DisposeAsync_begins_has_its_ActorStopped_persisted()
    {
        var backend = new RecordingBackend();
        var clock = new StallingClock();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend, TimeProvider = clock });
        clock.HoldUntil = () => !system.IsRunning;
        clock.ThenUntil = () => backend.Disposed;
        var hookRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorRef actor = system.Spawn(() => new StallsItsStop(clock, hookRan));
        await system.Next<ActorStarted>(actor);

        system.Stop(actor);
        await hookRan.Task.Within();
        await system.DisposeAsync().AsTask().Within();

        Assert.True(clock.Stalled);
        Assert.Equal(2, system.LastEventSequence);
        Assert.Contains(backend.Records, r => r is PersistedEvent { EventType: nameof(ActorStopped) } e && e.ActorAddress == actor.Address);
        Assert.Equal(2, backend.Records.OfType<PersistedEvent>().Count());
    }

    /// <summary>
    /// The system clock, except that it holds one chosen thread on its next reading: until
    /// <see cref="HoldUntil"/> is true (the shutdown began; at most 5 s), then until
    /// <see cref="ThenUntil"/> is true (the store was closed: what the old code did while the event
    /// was still pending) for at most 200 ms, the time a shutdown that does not wait needs to get there.
    /// </summary>
    private sealed class StallingClock : TimeProvider
    {
        private int _stallThread;

        public bool Stalled { get; private set; }

        public Func<bool> HoldUntil { get; set; } = () => true;

        public Func<bool> ThenUntil { get; set; } = () => true;

        public void StallNextReadingOn(int threadId) => Volatile.Write(ref _stallThread, threadId);

        public override DateTimeOffset GetUtcNow()
        {
            if (Volatile.Read(ref _stallThread) == Environment.CurrentManagedThreadId && Interlocked.Exchange(ref _stallThread, 0) != 0)
            {
                Stalled = true;
                SpinWait.SpinUntil(HoldUntil, TimeSpan.FromSeconds(5));
                SpinWait.SpinUntil(ThenUntil, TimeSpan.FromMilliseconds(200));
            }

            return base.GetUtcNow();
        }
    }

    private sealed class StallsItsStop(StallingClock clock, TaskCompletionSource hookRan) : Actor
    {
        protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            // The next clock reading on this thread is the ActorStopped timestamp.
            clock.StallNextReadingOn(Environment.CurrentManagedThreadId);
            hookRan.TrySetResult();
            return default;
        }
    }
}
