using Papyra.Dispatch;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

/// <summary>
/// The ask slot keeps its timer armed across asks and re-arms it only when it must fire earlier
/// (see <see cref="AskSlot{T}"/>). These tests drive one slot through consecutive asks on a fake
/// clock, so each case exercises exactly the reuse it names.
/// </summary>
public sealed class AskTimerTests
{
    private static readonly ActorAddress Target = new("local", 1);

    [Fact]
    public async Task A_shorter_timeout_after_a_longer_one_fires_on_time()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });

        AskSlot<string> slot = Answered(system, TimeSpan.FromSeconds(30));
        (AskSlot<string> again, ValueTask<string> ask) = Pending(system, TimeSpan.FromSeconds(1));
        Assert.Same(slot, again);

        clock.Advance(TimeSpan.FromSeconds(0.9));
        Assert.False(ask.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(ask.IsCompleted);
        var timeout = await Assert.ThrowsAsync<AskTimeoutException>(() => ask.AsTask());
        Assert.Contains("1 s", timeout.Message);
        again.Complete("late");
    }

    [Fact]
    public async Task A_timer_left_from_an_answered_ask_does_not_fail_the_next_one_early()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });

        AskSlot<string> slot = Answered(system, TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(1));
        (AskSlot<string> again, ValueTask<string> ask) = Pending(system, TimeSpan.FromSeconds(10));
        Assert.Same(slot, again);

        // The first ask's timer fires at t=2 s: the second ask is pending but has 9 s left.
        clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(ask.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(8));
        Assert.False(ask.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.6));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask.AsTask());
        again.Complete("late");
        Assert.Equal(1, system.LateReplies);
    }

    [Fact]
    public async Task An_answer_before_the_deadline_wins_and_the_later_tick_changes_nothing()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });

        (AskSlot<string> slot, ValueTask<string> ask) = Pending(system, TimeSpan.FromSeconds(2));
        slot.Complete("reply");
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("reply", await ask);
        Assert.Equal(0, system.LateReplies);
    }

    [Fact]
    public async Task An_ask_without_a_timeout_is_never_failed_by_the_timer_an_earlier_ask_left_running()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });

        AskSlot<string> slot = Answered(system, TimeSpan.FromSeconds(2));
        (AskSlot<string> again, ValueTask<string> ask) = Pending(system, Timeout.InfiniteTimeSpan);
        Assert.Same(slot, again);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(ask.IsCompleted);
        again.Complete("reply");
        Assert.Equal("reply", await ask);
    }

    [Fact]
    public async Task Timeouts_longer_than_a_timer_can_be_set_fire_on_time_and_huge_ones_never_fire_early()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });

        (AskSlot<string> long100Days, ValueTask<string> ask) = Pending(system, TimeSpan.FromDays(100));
        (AskSlot<string> huge, ValueTask<string> forever) = Pending(system, TimeSpan.MaxValue);
        for (int day = 0; day < 99; day++)
        {
            clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.False(ask.IsCompleted);
        clock.Advance(TimeSpan.FromDays(1.5));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask.AsTask());
        Assert.False(forever.IsCompleted);
        long100Days.Complete("late");
        huge.Complete("reply");
        Assert.Equal("reply", await forever);
    }

    [Fact]
    public async Task The_system_clock_accepts_a_timeout_longer_than_a_timer_can_be_set()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef counter = system.Spawn<CounterActor>();

        Assert.Equal(0, await counter.AskAsync<int>(new GetCount(), TimeSpan.FromDays(100)).AsTask().WaitAsync(TestSystem.Wait));
        Assert.Equal(0, await counter.AskAsync<int>(new GetCount(), TimeSpan.MaxValue).AsTask().WaitAsync(TestSystem.Wait));
    }

    private static AskSlot<string> Answered(ActorSystem system, TimeSpan timeout)
    {
        (AskSlot<string> slot, ValueTask<string> ask) = Pending(system, timeout);
        slot.Complete("reply");
        Assert.Equal("reply", ask.Result);
        return slot;
    }

    private static (AskSlot<string> Slot, ValueTask<string> Ask) Pending(ActorSystem system, TimeSpan timeout)
    {
        AskSlot<string> slot = AskSlot<string>.Rent();
        short version = slot.Version;
        slot.Arm(system, Target, "question", timeout, CancellationToken.None);
        return (slot, new ValueTask<string>(slot, version));
    }
}
