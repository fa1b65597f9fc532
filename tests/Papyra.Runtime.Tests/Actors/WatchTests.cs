using System.Collections.Concurrent;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class WatchTests
{
    [Fact]
    public async Task Watcher_receives_exactly_one_Terminated_per_stop()
    {
        await using var system = await TestSystem.StartAsync();
        var terminated = new ConcurrentQueue<ActorAddress>();
        var first = new TaskCompletionSource<ActorAddress>();
        ActorRef watcher = system.Spawn(() => new WatcherActor(terminated, first));
        ActorRef target = system.Spawn<CounterActor>();
        await watcher.AskAsync<string>(("watch", target));
        await watcher.AskAsync<string>(("watch", target));

        await system.StopAsync(target).Within();

        Assert.Equal(target.Address, await first.Task.Within());
        // A later message is processed after any duplicate notice would have been.
        await system.StopAsync(system.Spawn<CounterActor>()).Within();
        Assert.Equal("sync", await watcher.AskAsync<string>("sync"));
        Assert.Equal([target.Address], terminated);
    }

    [Fact]
    public async Task Watcher_of_an_actor_that_crashes_past_its_limit_is_told_once()
    {
        await using var system = await TestSystem.StartAsync();
        var terminated = new ConcurrentQueue<ActorAddress>();
        var first = new TaskCompletionSource<ActorAddress>();
        ActorRef watcher = system.Spawn(() => new WatcherActor(terminated, first));
        ActorRef target = system.Spawn<CounterActor>("fragile", policy: new SupervisionPolicy(SupervisionStrategy.Restart, maxRestarts: 1));
        await watcher.AskAsync<string>(("watch", target));

        target.Tell(new Boom());
        target.Tell(new Boom());

        Assert.Equal(target.Address, await first.Task.Within());
        Assert.Equal("sync", await watcher.AskAsync<string>("sync"));
        Assert.Single(terminated);
    }

    [Fact]
    public async Task Several_watchers_are_each_told_once()
    {
        await using var system = await TestSystem.StartAsync();
        var sinks = Enumerable.Range(0, 3).Select(_ => new ConcurrentQueue<ActorAddress>()).ToArray();
        var signals = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource<ActorAddress>()).ToArray();
        ActorRef[] watchers = Enumerable.Range(0, 3).Select(i => system.Spawn(() => new WatcherActor(sinks[i], signals[i]))).ToArray();
        ActorRef target = system.Spawn<CounterActor>();
        foreach (ActorRef watcher in watchers)
        {
            await watcher.AskAsync<string>(("watch", target));
        }

        await system.StopAsync(target).Within();

        await Task.WhenAll(signals.Select(s => s.Task)).Within();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("sync", await watchers[i].AskAsync<string>("sync"));
            Assert.Single(sinks[i]);
        }
    }

    [Fact]
    public async Task Watching_an_already_stopped_actor_delivers_Terminated_at_once()
    {
        await using var system = await TestSystem.StartAsync();
        var terminated = new ConcurrentQueue<ActorAddress>();
        var first = new TaskCompletionSource<ActorAddress>();
        ActorRef target = system.Spawn<CounterActor>();
        await system.StopAsync(target).Within();
        ActorRef watcher = system.Spawn(() => new WatcherActor(terminated, first));

        await watcher.AskAsync<string>(("watch", target));

        Assert.Equal(target.Address, await first.Task.Within());
    }

    [Fact]
    public async Task Unwatch_prevents_the_Terminated_notice()
    {
        await using var system = await TestSystem.StartAsync();
        var terminated = new ConcurrentQueue<ActorAddress>();
        ActorRef watcher = system.Spawn(() => new WatcherActor(terminated));
        ActorRef target = system.Spawn<CounterActor>();
        await watcher.AskAsync<string>(("watch", target));
        await watcher.AskAsync<string>(("unwatch", target));

        await system.StopAsync(target).Within();

        Assert.Equal("sync", await watcher.AskAsync<string>("sync"));
        Assert.Empty(terminated);
    }

    [Fact]
    public async Task Stopped_watcher_is_removed_from_the_target_registrations()
    {
        await using var system = await TestSystem.StartAsync();
        var terminated = new ConcurrentQueue<ActorAddress>();
        ActorRef watcher = system.Spawn(() => new WatcherActor(terminated));
        ActorRef target = system.Spawn<CounterActor>();
        await watcher.AskAsync<string>(("watch", target));

        await system.StopAsync(watcher).Within();
        await system.StopAsync(target).Within();

        // The notice to a stopped watcher is not a message anyone lost.
        Assert.DoesNotContain(system.GetRecentDeadLetters(), d => d.Message is Terminated);
        Assert.Empty(terminated);
    }
}
