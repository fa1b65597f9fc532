using System.Collections.Concurrent;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class ActorSystemLifecycleTests
{
    [Fact]
    public async Task Spawn_before_StartAsync_is_refused_with_a_clear_message()
    {
        await using var system = new ActorSystem();
        var error = Assert.Throws<ActorStoppedException>(() => system.Spawn<CounterActor>());
        Assert.Contains("StartAsync", error.Message);
    }

    [Fact]
    public async Task StartAsync_is_idempotent()
    {
        await using var system = new ActorSystem();
        await system.StartAsync();
        await system.StartAsync();
        Assert.True(system.IsRunning);
    }

    [Fact]
    public async Task Spawn_after_dispose_is_refused()
    {
        var system = await TestSystem.StartAsync();
        await system.DisposeAsync();
        Assert.Throws<ActorStoppedException>(() => system.Spawn<CounterActor>());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => system.StartAsync());
    }

    [Fact]
    public async Task Addresses_use_the_system_id_and_ids_start_at_one_and_are_never_reused()
    {
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { SystemId = "orders" });
        ActorRef first = system.Spawn<CounterActor>();
        ActorRef second = system.Spawn<CounterActor>();
        await system.StopAsync(first).Within();
        ActorRef third = system.Spawn<CounterActor>();

        Assert.Equal("orders:1", first.Address.ToString());
        Assert.Equal("orders:2", second.Address.ToString());
        Assert.Equal("orders:3", third.Address.ToString());
    }

    [Fact]
    public async Task Factory_exception_propagates_to_Spawn_and_consumes_the_id()
    {
        await using var system = await TestSystem.StartAsync();
        Assert.Throws<InvalidOperationException>(() => system.Spawn(() => throw new InvalidOperationException("ctor failed")));
        ActorRef next = system.Spawn<CounterActor>();
        Assert.Equal(2, next.Address.Id);
        Assert.DoesNotContain(system.ListActors(), a => a.Id == 1);
    }

    [Fact]
    public async Task Context_in_the_constructor_throws_a_helpful_error()
    {
        await using var system = await TestSystem.StartAsync();
        var error = Assert.Throws<InvalidOperationException>(() => system.Spawn(() => new ContextInConstructorActor()));
        Assert.Contains("not in the constructor", error.Message);
    }

    [Fact]
    public async Task Factory_returning_the_same_instance_twice_is_refused()
    {
        await using var system = await TestSystem.StartAsync();
#pragma warning disable PAP1005 // deliberately one shared instance: the test proves the runtime refuses a factory that returns it twice
        var shared = new CounterActor();
#pragma warning restore PAP1005
        system.Spawn(() => shared);
        Assert.Throws<InvalidOperationException>(() => system.Spawn(() => shared));
    }

    [Fact]
    public async Task Duplicate_name_is_refused_while_the_first_holder_runs()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef first = system.Spawn<CounterActor>("counter");
        var error = Assert.Throws<ArgumentException>(() => system.Spawn<CounterActor>("counter"));
        Assert.Contains("counter", error.Message);
        Assert.Contains(first.Address.ToString(), error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    public async Task Invalid_names_are_refused(string name)
    {
        await using var system = await TestSystem.StartAsync();
        Assert.Throws<ArgumentException>(() => system.Spawn<CounterActor>(name));
    }

    [Fact]
    public async Task RefFor_refuses_an_address_of_another_system()
    {
        await using var system = await TestSystem.StartAsync();
        var error = Assert.Throws<ArgumentException>(() => system.RefFor("remote:1"));
        Assert.Contains("remote", error.Message);
        Assert.Contains("not supported", error.Message);
    }

    [Theory]
    [InlineData("local://1")]
    [InlineData("local")]
    [InlineData("local:x")]
    [InlineData("local:0")]
    public async Task RefFor_rejects_malformed_addresses(string text)
    {
        await using var system = await TestSystem.StartAsync();
        var error = Assert.Throws<FormatException>(() => system.RefFor(text));
        Assert.Contains(text, error.Message);
    }

    [Fact]
    public async Task RefFor_and_RefForName_find_a_running_actor()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef counter = system.Spawn<CounterActor>("counter");
        counter.Tell(new Increment());

        Assert.Equal(counter, system.RefFor(counter.Address));
        Assert.Equal(counter, system.RefFor(counter.Address.ToString()));
        Assert.Equal(1, await system.RefForName("counter").AskAsync<int>(new GetCount()));
        Assert.Throws<KeyNotFoundException>(() => system.RefForName("missing"));
        Assert.False(system.TryGetRefForName("missing", out _));
    }

    [Fact]
    public async Task ListNames_ListActors_and_GetActorInfo_describe_the_tree()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(null, () => new CounterActor()), "parent");
        ActorRef child = await parent.AskAsync<ActorRef>("child");
        ActorRef loner = system.Spawn<CounterActor>();

        Assert.Equal(parent.Address, system.ListNames()["parent"]);
        Assert.Equal([parent.Address, child.Address, loner.Address], system.ListActors());
        ActorInfo info = system.GetActorInfo(parent);
        Assert.Equal("parent", info.Name);
        Assert.Equal([child.Address], info.Children);
        Assert.True(info.IsAlive);
        Assert.Equal(parent.Address, system.GetActorInfo(child.Address).Parent);
        Assert.Equal(typeof(CounterActor).FullName, system.GetActorInfo(loner).ActorType);

        await system.StopAsync(loner).Within();
        Assert.DoesNotContain(loner.Address, system.ListActors());
        Assert.Throws<KeyNotFoundException>(() => system.GetActorInfo(loner));
    }

    [Fact]
    public async Task StopAsync_stops_children_before_their_parent()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef parent = system.Spawn(() => new DecidingParent(null, () => new DecidingParent(null, () => new CounterActor())));
        ActorRef child = await parent.AskAsync<ActorRef>("child");
        ActorRef grandchild = await child.AskAsync<ActorRef>("child");

        await system.StopAsync(parent).Within();

        var stops = system.GetRecentEvents().OfType<ActorStopped>().Select(e => e.Address).ToList();
        Assert.Equal([grandchild.Address, child.Address, parent.Address], stops);
        Assert.False(grandchild.IsAlive);
        Assert.Empty(system.ListActors());
    }

    [Fact]
    public async Task DisposeAsync_stops_root_actors_in_spawn_order_and_is_idempotent()
    {
        var system = await TestSystem.StartAsync();
        ActorRef a = system.Spawn<CounterActor>();
        ActorRef b = system.Spawn<CounterActor>();
        ActorRef c = system.Spawn<CounterActor>();
        await a.AskAsync<int>(new GetCount());

        await system.DisposeAsync();
        await system.DisposeAsync();

        var stops = system.GetRecentEvents().OfType<ActorStopped>().ToList();
        Assert.Equal([a.Address, b.Address, c.Address], stops.Select(e => e.Address));
        Assert.All(stops, e => Assert.Equal("shutdown", e.Reason));
        Assert.False(system.IsRunning);
    }

    [Fact]
    public async Task Timestamps_are_unix_epoch_seconds_from_the_time_provider()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        ActorRef actor = system.Spawn<CounterActor>();
        ActorStarted started = await system.Next<ActorStarted>(actor);

        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, started.Timestamp, 3);
        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(started.Timestamp + 90, system.Now(), 3);
    }

    [Fact]
    public async Task Unhandled_message_becomes_a_dead_letter_and_fails_the_ask()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef silent = system.Spawn<SilentActor>();
        silent.Tell("hello");
        await Assert.ThrowsAsync<UnhandledMessageException>(() => silent.AskAsync<object>(42).AsTask());

        DeadLetter[] letters = system.GetRecentDeadLetters().Where(d => d.Reason == DeadLetterReason.Unhandled).ToArray();
        Assert.Equal(2, letters.Length);
        Assert.Equal(("String", false), (letters[0].MessageType, letters[0].ExpectsReply));
        Assert.Equal(("Int32", true), (letters[1].MessageType, letters[1].ExpectsReply));
        Assert.True(silent.IsAlive);
        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorCrashed);
    }

    private sealed class ContextInConstructorActor : Actor
    {
        public ContextInConstructorActor() => _ = Context.Self;
    }
}
