using System.Collections.Concurrent;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class ContextAndLifecycleTests
{
    [Fact]
    public async Task StopSelf_stops_after_the_current_message_and_dead_letters_the_rest()
    {
        await using var system = await TestSystem.StartAsync();
        var sink = new ConcurrentQueue<string>();
        ActorRef actor = system.Spawn(() => new SelfStopping(sink));
        actor.Tell("one");
        actor.Tell("stop");
        actor.Tell("two");

        await system.Stopped(actor);

        Assert.Equal(["one", "stop"], sink);
        Assert.Equal("two", Assert.Single(system.GetRecentDeadLetters()).Message);
    }

    [Fact]
    public async Task OnStopAsync_runs_on_stop_and_on_the_old_instance_before_a_restart()
    {
        await using var system = await TestSystem.StartAsync();
        var log = new ConcurrentQueue<string>();
        ActorRef actor = system.Spawn(() => new LifecycleLogging(log), "logged");
        await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<object>(new Boom()).AsTask());
        await system.StopAsync(actor).Within();

        Assert.Equal(["start", "stop", "start", "stop"], log);
    }

    [Fact]
    public async Task Handler_waiting_on_the_shutdown_token_ends_at_dispose_without_a_crash()
    {
        var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new WaitsForShutdown(entered));
        actor.Tell("wait");
        await entered.Task.Within();

        await system.DisposeAsync().AsTask().Within();

        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorCrashed);
        Assert.Equal("shutdown", system.GetRecentEvents().OfType<ActorStopped>().Single().Reason);
    }

    [Fact]
    public async Task Root_actor_with_escalate_policy_stops_on_failure()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>("root", policy: SupervisionPolicy.Escalate);
        actor.Tell(new Boom());
        Assert.Equal("failed", (await system.Stopped(actor)).Reason);
    }

    [Fact]
    public async Task Parent_from_another_system_is_refused()
    {
        await using var one = await TestSystem.StartAsync();
        await using var two = await TestSystem.StartAsync(new ActorSystemOptions { SystemId = "two" });
        ActorRef foreign = two.Spawn<CounterActor>();
        Assert.Throws<ArgumentException>(() => one.Spawn<CounterActor>(parent: foreign));
        Assert.Throws<ArgumentException>(() => { _ = one.StopAsync(foreign); });
    }

    [Fact]
    public async Task Stopped_parent_cannot_get_new_children()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn<CounterActor>();
        await system.StopAsync(parent).Within();
        Assert.Throws<ActorStoppedException>(() => system.Spawn<CounterActor>(parent: parent));
    }

    [Fact]
    public async Task Context_exposes_self_parent_name_and_children()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(null, () => new ContextReporter(), childName: "reporter"), "parent");
        ActorRef child = await parent.AskAsync<ActorRef>("child");

        var report = await child.AskAsync<(ActorRef Self, ActorRef? Parent, string? Name, ActorSystem System)>("report");

        Assert.Equal(child, report.Self);
        Assert.Equal(parent, report.Parent);
        Assert.Equal("reporter", report.Name);
        Assert.Same(system, report.System);
    }

    [Fact]
    public async Task Ask_through_the_IActorRef_contract_and_with_an_infinite_timeout()
    {
        await using var system = await TestSystem.StartAsync();
        IActorRef actor = system.Spawn<CounterActor>();
        Assert.Equal(1, await actor.AskAsync<int>(new Increment()));
        Assert.Equal(2, await ((ActorRef)actor).AskAsync<int>(new Increment(), Timeout.InfiniteTimeSpan));
        Assert.True(actor.IsAlive);
    }

    [Fact]
    public async Task Reply_to_a_cancelled_ask_is_dropped_and_counted()
    {
        await using var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));
        using var cts = new CancellationTokenSource();
        Task<object> ask = actor.AskAsync<object>("block", cancellationToken: cts.Token).AsTask();
        await entered.Task.Within();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);

        gate.SetResult();
        await actor.AskAsync<object>("sync").Within();

        Assert.Equal(1, system.LateReplies);
    }

    private sealed class SelfStopping(ConcurrentQueue<string> sink) : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            sink.Enqueue((string)message);
            if (message is "stop")
            {
                Context.StopSelf();
            }

            return default;
        }
    }

    private sealed class LifecycleLogging(ConcurrentQueue<string> log) : Actor
    {
        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            log.Enqueue("start");
            return default;
        }

        protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            log.Enqueue("stop");
            return default;
        }

        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
            => throw new InvalidOperationException("fails");
    }

    private sealed class WaitsForShutdown(TaskCompletionSource entered) : Actor
    {
        protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }

    private sealed class ContextReporter : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
            => new((Context.Self, Context.Parent, Context.Name, Context.System));
    }
}
