using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class SupervisionTests
{
    [Fact]
    public async Task Named_actor_restarts_with_fresh_state_at_the_same_address()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef counter = system.Spawn<CounterActor>("counter");
        await counter.AskAsync<int>(new Increment());
        Assert.Equal(2, await counter.AskAsync<int>(new Increment()));

        await Assert.ThrowsAsync<InvalidOperationException>(() => counter.AskAsync<int>(new Boom()).AsTask());

        Assert.Equal(0, await counter.AskAsync<int>(new GetCount()));
        Assert.Equal(counter.Address, system.RefForName("counter").Address);
        Assert.Equal(
            ["ActorStarted", "ActorCrashed", "ActorRestarted"],
            system.GetRecentEvents().Where(e => e.Address == counter.Address).Select(e => e.EventType));
    }

    [Fact]
    public async Task Ask_rethrows_the_original_exception_after_supervision_ran()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef counter = system.Spawn<CounterActor>("counter");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => counter.AskAsync<int>(new Boom("kaput")).AsTask());

        Assert.Equal("kaput", error.Message);
        // Supervision already ran when the asker sees the exception: the restart is recorded.
        Assert.Contains(system.GetRecentEvents(), e => e is ActorRestarted && e.Address == counter.Address);
        ActorCrashed crashed = system.GetRecentEvents().OfType<ActorCrashed>().Single();
        Assert.Same(error, crashed.Error);
        Assert.Equal("InvalidOperationException: kaput", crashed.Reason);
    }

    [Fact]
    public async Task Unnamed_actor_stops_on_failure_and_later_messages_become_dead_letters()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>();
        actor.Tell(new Boom());
        await system.Stopped(actor);

        Assert.Equal(["ActorStarted", "ActorCrashed", "ActorStopped"], system.GetRecentEvents().Select(e => e.EventType));
        Assert.Equal("failed", system.GetRecentEvents().OfType<ActorStopped>().Single().Reason);
        actor.Tell(new Increment());
        DeadLetter letter = Assert.Single(system.GetRecentDeadLetters());
        Assert.Equal(actor.Address, letter.Target);
        Assert.Equal(DeadLetterReason.ActorNotRunning, letter.Reason);
    }

    [Fact]
    public async Task Fourth_crash_within_window_stops_named_actor()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        ActorRef actor = system.Spawn<CounterActor>("flaky");

        for (int crash = 1; crash <= 3; crash++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).AsTask());
            clock.Advance(TimeSpan.FromSeconds(10));
            Assert.True(actor.IsAlive, $"alive after crash {crash}");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).AsTask());

        ActorStopped stopped = await system.Stopped(actor);
        Assert.Equal("restart limit reached", stopped.Reason);
        Assert.Equal(3, system.GetRecentEvents().Count(e => e is ActorRestarted));
        Assert.Equal(4, system.GetRecentEvents().Count(e => e is ActorCrashed));
        Assert.False(system.TryGetRefForName("flaky", out _));
    }

    [Fact]
    public async Task Crashes_spread_beyond_the_window_keep_restarting()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        ActorRef actor = system.Spawn<CounterActor>("steady");

        for (int crash = 1; crash <= 6; crash++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).AsTask());
            clock.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.True(actor.IsAlive);
        Assert.Equal(6, system.GetRecentEvents().Count(e => e is ActorRestarted));
    }

    [Fact]
    public async Task Restart_window_follows_the_monotonic_clock_when_the_wall_clock_steps_back()
    {
        var clock = new SteppingWallClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        ActorRef actor = system.Spawn<CounterActor>("stepped-back");
        for (int crash = 1; crash <= 3; crash++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).Within());
        }

        // 61 s pass, but NTP steps the wall clock back by as much: the three restarts are out of
        // the 60 s window all the same, so the next crash restarts the actor again.
        clock.Advance(TimeSpan.FromSeconds(61));
        clock.StepWallClock(TimeSpan.FromSeconds(-61));
        long before = system.LastEventSequence;
        await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).Within());

        ActorEvent next = await system.WaitForEventAsync(e => e.Address == actor.Address && e.Sequence > before && e is ActorRestarted or ActorStopped, TestSystem.Wait);
        Assert.IsType<ActorRestarted>(next);
        Assert.Equal(0, await actor.AskAsync<int>(new GetCount()).Within());
    }

    [Fact]
    public async Task Restart_window_follows_the_monotonic_clock_when_the_wall_clock_steps_forward()
    {
        var clock = new SteppingWallClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        ActorRef actor = system.Spawn<CounterActor>("stepped-forward");
        for (int crash = 1; crash <= 3; crash++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).Within());
        }

        // One second passes while the wall clock jumps an hour ahead (a resumed VM): the three
        // restarts are still inside the window, so the fourth crash stops the actor.
        clock.Advance(TimeSpan.FromSeconds(1));
        clock.StepWallClock(TimeSpan.FromHours(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).Within());

        ActorStopped stopped = await system.Stopped(actor);
        Assert.Equal("restart limit reached", stopped.Reason);
        Assert.Equal(3, system.GetRecentEvents().Count(e => e is ActorRestarted));
    }

    [Fact]
    public async Task Policy_with_zero_restarts_stops_at_the_first_crash()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>("never", policy: new SupervisionPolicy(SupervisionStrategy.Restart, maxRestarts: 0));
        actor.Tell(new Boom());
        Assert.Equal("restart limit reached", (await system.Stopped(actor)).Reason);
    }

    [Fact]
    public async Task Resume_policy_keeps_state_and_drops_the_failing_message()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>(policy: SupervisionPolicy.Resume);
        actor.Tell(new Increment());
        await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom()).AsTask());
        Assert.Equal(2, await actor.AskAsync<int>(new Increment()));
        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorRestarted or ActorStopped);
    }

    [Fact]
    public async Task OnStartAsync_failure_is_reported_with_its_original_type_and_message()
    {
        await using var system = await TestSystem.StartAsync();
        var starts = new StrongBox<int>();
        ActorRef actor = system.Spawn(() => new FailingStartActor(starts));

        await system.Stopped(actor);

        ActorCrashed crashed = system.GetRecentEvents().OfType<ActorCrashed>().Single();
        Assert.IsType<FormatException>(crashed.Error);
        Assert.Equal("FormatException: bad configuration value 'x'", crashed.Reason);
        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorStarted);
        Assert.Equal(1, starts.Value);
    }

    [Fact]
    public async Task Named_actor_failing_every_start_stops_after_the_restart_limit()
    {
        await using var system = await TestSystem.StartAsync();
        var starts = new StrongBox<int>();
        ActorRef actor = system.Spawn(() => new FailingStartActor(starts), "broken");

        ActorStopped stopped = await system.Stopped(actor);

        Assert.Equal("restart limit reached", stopped.Reason);
        Assert.Equal(4, starts.Value);
        Assert.Equal(4, system.GetRecentEvents().Count(e => e is ActorCrashed));
        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorRestarted or ActorStarted);
        Assert.False(system.TryGetRefForName("broken", out _));
    }

    [Theory]
    [InlineData(SupervisorDecision.Resume)]
    [InlineData(SupervisorDecision.Ignore)]
    public async Task Parent_decision_to_resume_or_ignore_keeps_the_child_alive_with_its_state(SupervisorDecision decision)
    {
        await using var system = await TestSystem.StartAsync();
        var consulted = new ConcurrentQueue<string>();
        ActorRef parent = system.Spawn(() => new DecidingParent(decision, () => new CounterActor(), consulted: consulted));
        ActorRef child = await parent.AskAsync<ActorRef>("child");
        child.Tell(new Increment());

        await Assert.ThrowsAsync<InvalidOperationException>(() => child.AskAsync<int>(new Boom("child failed")).AsTask());

        Assert.Equal(["child failed"], consulted);
        Assert.True(child.IsAlive);
        Assert.Equal(2, await child.AskAsync<int>(new Increment()));
        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorStopped or ActorRestarted);
    }

    [Fact]
    public async Task Parent_decision_to_restart_overrides_the_child_stop_policy()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(SupervisorDecision.Restart, () => new CounterActor()));
        ActorRef child = await parent.AskAsync<ActorRef>("child");
        child.Tell(new Increment());

        await Assert.ThrowsAsync<InvalidOperationException>(() => child.AskAsync<int>(new Boom()).AsTask());

        Assert.Equal(0, await child.AskAsync<int>(new GetCount()));
        Assert.Contains(system.GetRecentEvents(), e => e is ActorRestarted && e.Address == child.Address);
    }

    [Fact]
    public async Task Parent_decision_to_stop_overrides_the_named_child_restart_policy()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(SupervisorDecision.Stop, () => new CounterActor(), childName: "worker"));
        ActorRef child = await parent.AskAsync<ActorRef>("child");

        child.Tell(new Boom());

        await system.Stopped(child);
        Assert.True(parent.IsAlive);
        Assert.Empty(await parent.AskAsync<IReadOnlyList<ActorRef>>("children"));
    }

    [Fact]
    public async Task Parent_decision_to_escalate_stops_the_child_and_fails_the_parent()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(SupervisorDecision.Escalate, () => new CounterActor()));
        ActorRef child = await parent.AskAsync<ActorRef>("child");

        child.Tell(new Boom("deep"));

        await system.Stopped(parent);
        Assert.False(child.IsAlive);
        ActorCrashed parentCrash = system.GetRecentEvents().OfType<ActorCrashed>().Single(e => e.Address == parent.Address);
        Assert.Equal("InvalidOperationException: deep", parentCrash.Reason);
    }

    [Fact]
    public async Task Child_escalating_to_a_stop_policy_parent_stops_both()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(null, () => new CounterActor(), SupervisionPolicy.Escalate));
        ActorRef child = await parent.AskAsync<ActorRef>("child");

        child.Tell(new Boom("up"));

        await system.Stopped(parent);
        await system.Stopped(child);
        Assert.Equal(2, system.GetRecentEvents().OfType<ActorCrashed>().Count(e => e.Reason == "InvalidOperationException: up"));
    }

    [Fact]
    public async Task Escalation_chain_restarts_the_first_restarting_ancestor_with_new_children()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef root = system.Spawn(
            () => new DecidingParent(null, () => new DecidingParent(null, () => new CounterActor(), SupervisionPolicy.Escalate), SupervisionPolicy.Escalate),
            "root");
        ActorRef middle = await root.AskAsync<ActorRef>("child");
        ActorRef leaf = await middle.AskAsync<ActorRef>("child");
        long mark = system.LastEventSequence;

        leaf.Tell(new Boom("leaf"));

        await system.Next<ActorRestarted>(root, mark);
        ActorRef newMiddle = await root.AskAsync<ActorRef>("child");
        Assert.NotEqual(middle.Address, newMiddle.Address);
        Assert.False(middle.IsAlive);
        Assert.False(leaf.IsAlive);
        Assert.True(newMiddle.IsAlive);
        Assert.Equal(
            [leaf.Address, middle.Address, root.Address],
            system.GetRecentEvents().OfType<ActorCrashed>().Select(e => e.Address));
    }

    [Fact]
    public async Task Restart_stops_the_old_children_and_the_new_instance_spawns_its_own()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new CrashableParent(), "parent");
        ActorRef oldChild = await parent.AskAsync<ActorRef>("child");

        await Assert.ThrowsAsync<InvalidOperationException>(() => parent.AskAsync<object>(new Boom()).AsTask());

        ActorRef newChild = await parent.AskAsync<ActorRef>("child");
        Assert.False(oldChild.IsAlive);
        Assert.True(newChild.IsAlive);
        Assert.NotEqual(oldChild.Address, newChild.Address);
        Assert.Equal("parent restarting", system.GetRecentEvents().OfType<ActorStopped>().Single(e => e.Address == oldChild.Address).Reason);
    }

    [Fact]
    public async Task Throwing_OnChildFailure_falls_back_to_the_child_policy()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new ThrowingSupervisor());
        ActorRef child = await parent.AskAsync<ActorRef>("child");

        child.Tell(new Boom());

        await system.Stopped(child);
        Assert.True(parent.IsAlive);
    }

    [Fact]
    public async Task Name_is_kept_across_restarts_and_freed_on_stop()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef first = system.Spawn<CounterActor>("keeper");
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.AskAsync<int>(new Boom()).AsTask());
        Assert.Equal(first.Address, system.ListNames()["keeper"]);
        Assert.Throws<ArgumentException>(() => system.Spawn<CounterActor>("keeper"));

        await system.StopAsync(first).Within();

        Assert.False(system.ListNames().ContainsKey("keeper"));
        ActorRef second = system.Spawn<CounterActor>("keeper");
        Assert.NotEqual(first.Address, second.Address);
        Assert.Equal(second, system.RefForName("keeper"));
    }

    private sealed class CrashableParent : Actor
    {
        private ActorRef? _child;

        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            _child = Context.SpawnChild<CounterActor>();
            return default;
        }

        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
            => message is Boom ? throw new InvalidOperationException("parent boom") : new ValueTask<object?>(_child);
    }

    private sealed class ThrowingSupervisor : Actor
    {
        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            Context.SpawnChild<CounterActor>();
            return default;
        }

        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
            => new(Context.Children[0]);

        protected override SupervisorDecision? OnChildFailure(ActorRef child, Exception exception)
            => throw new NotSupportedException("supervisor bug");
    }
}
