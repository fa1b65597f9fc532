using System.Collections.Concurrent;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class DeadLetterTests
{
    [Fact]
    public async Task Tell_to_a_stopped_actor_is_a_dead_letter_with_target_type_and_payload()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        ActorRef actor = system.Spawn<CounterActor>();
        await system.StopAsync(actor).Within();

        actor.Tell(new Echo("lost"));

        DeadLetter letter = Assert.Single(system.DeadLetters);
        Assert.Equal(actor.Address, letter.Target);
        Assert.Equal("Echo", letter.MessageType);
        Assert.Equal(new Echo("lost"), letter.Message);
        Assert.False(letter.ExpectsReply);
        Assert.Equal(system.Now(), letter.Timestamp, 3);
        Assert.Equal(DeadLetterReason.ActorNotRunning, letter.Reason);
        Assert.Equal(1, system.DeadLetterCount);
    }

    [Fact]
    public async Task Ask_to_a_stopped_actor_fails_and_is_a_dead_letter_expecting_a_reply()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>();
        await system.StopAsync(actor).Within();

        var error = await Assert.ThrowsAsync<ActorStoppedException>(() => actor.AskAsync<int>(new GetCount()).AsTask());

        Assert.Contains(actor.Address.ToString(), error.Message);
        Assert.True(Assert.Single(system.DeadLetters).ExpectsReply);
    }

    [Fact]
    public async Task Message_to_an_unknown_address_is_a_dead_letter()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef ghost = system.RefFor("local:999");

        Assert.False(ghost.IsAlive);
        ghost.Tell("hello?");

        DeadLetter letter = Assert.Single(system.DeadLetters);
        Assert.Equal(DeadLetterReason.UnknownActor, letter.Reason);
        Assert.Equal("local:999", letter.Target.ToString());
    }

    [Fact]
    public async Task Messages_queued_at_stop_become_dead_letters()
    {
        await using var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));
        actor.Tell("block");
        await entered.Task.Within();
        actor.Tell("queued-1");
        Task<string> ask = actor.AskAsync<string>("queued-2").AsTask();

        Task stopping = system.StopAsync(actor);
        gate.SetResult();
        await stopping.Within();

        Assert.Equal(["queued-1", "queued-2"], system.DeadLetters.Select(d => d.Message));
        Assert.All(system.DeadLetters, d => Assert.Equal(DeadLetterReason.QueuedAtStop, d.Reason));
        Assert.Equal([false, true], system.DeadLetters.Select(d => d.ExpectsReply));
        await Assert.ThrowsAsync<ActorStoppedException>(() => ask.Within());
    }

    [Fact]
    public async Task Messages_queued_at_shutdown_become_dead_letters()
    {
        var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));
        actor.Tell("block");
        await entered.Task.Within();
        actor.Tell("pending");

        ValueTask disposing = system.DisposeAsync();
        gate.SetResult();
        await disposing;

        DeadLetter letter = Assert.Single(system.DeadLetters);
        Assert.Equal("pending", letter.Message);
        Assert.Equal(DeadLetterReason.QueuedAtShutdown, letter.Reason);
    }

    [Fact]
    public async Task Tell_after_shutdown_is_a_dead_letter()
    {
        var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>();
        await system.DisposeAsync();

        actor.Tell(new Increment());

        Assert.Equal(DeadLetterReason.ActorNotRunning, Assert.Single(system.DeadLetters).Reason);
    }

    [Fact]
    public async Task DropNewest_mailbox_turns_overflow_into_dead_letters()
    {
        await using var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        var sink = new ConcurrentQueue<object>();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate, sink), mailbox: MailboxOptions.Bounded(2, MailboxOverflowPolicy.DropNewest));
        actor.Tell("block");
        await entered.Task.Within();

        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("c");
        gate.SetResult();
        Assert.True(SpinWait.SpinUntil(() => sink.Count == 3, TestSystem.Wait), "the queued messages were processed");

        Assert.Equal("d", await actor.AskAsync<string>("d").Within());
        Assert.Equal(["block", "a", "b", "d"], sink);
        DeadLetter letter = Assert.Single(system.DeadLetters);
        Assert.Equal(("c", DeadLetterReason.MailboxOverflow), (letter.Message, letter.Reason));
    }

    [Fact]
    public async Task Fail_mailbox_throws_when_full()
    {
        await using var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate), mailbox: MailboxOptions.Bounded(1, MailboxOverflowPolicy.Fail));
        actor.Tell("block");
        await entered.Task.Within();
        actor.Tell("a");

        var error = Assert.Throws<MailboxFullException>(() => actor.Tell("b"));
        Assert.Contains(actor.Address.ToString(), error.Message);
        await Assert.ThrowsAsync<MailboxFullException>(() => actor.AskAsync<string>("c").AsTask());
        gate.SetResult();
    }

    [Fact]
    public async Task Wait_mailbox_makes_TellAsync_wait_for_room()
    {
        await using var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        var sink = new ConcurrentQueue<object>();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate, sink), mailbox: MailboxOptions.Bounded(1));
        actor.Tell("block");
        await entered.Task.Within();
        await actor.TellAsync("a");

        Task waiting = actor.TellAsync("b").AsTask();
        Assert.False(waiting.IsCompleted);
        gate.SetResult();
        await waiting.Within();

        Assert.Equal("c", await actor.AskAsync<string>("c").Within());
        Assert.Equal(["block", "a", "b", "c"], sink);
        Assert.Empty(system.DeadLetters);
    }

    [Fact]
    public void Mailbox_capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MailboxOptions.Bounded(0));
        Assert.Null(MailboxOptions.Unbounded.Capacity);
    }
}
