using System.Collections.Concurrent;
using Papyra.Persistence;
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

        DeadLetter letter = Assert.Single(system.GetRecentDeadLetters());
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
        Assert.True(Assert.Single(system.GetRecentDeadLetters()).ExpectsReply);
    }

    [Fact]
    public async Task Message_to_an_unknown_address_is_a_dead_letter()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef ghost = system.RefFor("local:999");

        Assert.False(ghost.IsAlive);
        ghost.Tell("hello?");

        DeadLetter letter = Assert.Single(system.GetRecentDeadLetters());
        Assert.Equal(DeadLetterReason.UnknownActor, letter.Reason);
        Assert.Equal("local:999", letter.Target.ToString());
    }

    [Fact]
    public async Task Messages_queued_at_stop_become_dead_letters()
    {
        await using var system = await TestSystem.StartAsync();
        (ActorRef actor, TaskCompletionSource gate) = await SpawnBlockedAsync(system);
        actor.Tell("queued-1");
        Task<string> ask = actor.AskAsync<string>("queued-2").AsTask();

        Task stopping = system.StopAsync(actor);
        gate.SetResult();
        await stopping.Within();

        Assert.Equal(["queued-1", "queued-2"], system.GetRecentDeadLetters().Select(d => d.Message));
        Assert.All(system.GetRecentDeadLetters(), d => Assert.Equal(DeadLetterReason.QueuedAtStop, d.Reason));
        Assert.Equal([false, true], system.GetRecentDeadLetters().Select(d => d.ExpectsReply));
        await Assert.ThrowsAsync<ActorStoppedException>(() => ask.Within());
    }

    [Fact]
    public async Task Messages_queued_at_shutdown_become_dead_letters()
    {
        var system = await TestSystem.StartAsync();
        (ActorRef actor, TaskCompletionSource gate) = await SpawnBlockedAsync(system);
        actor.Tell("pending");

        ValueTask disposing = system.DisposeAsync();
        gate.SetResult();
        await disposing;

        DeadLetter letter = Assert.Single(system.GetRecentDeadLetters());
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

        Assert.Equal(DeadLetterReason.ActorNotRunning, Assert.Single(system.GetRecentDeadLetters()).Reason);
    }

    [Fact]
    public async Task Ask_issued_after_shutdown_began_fails_at_once_while_its_actor_is_still_busy()
    {
        var system = await TestSystem.StartAsync();
        (ActorRef actor, TaskCompletionSource gate) = await SpawnBlockedAsync(system);

        ValueTask disposing = system.DisposeAsync();
        Task<string> ask = actor.AskAsync<string>("late", TimeSpan.FromSeconds(60)).AsTask();

        // The actor still holds its turn: the ask must not wait for it, nor for its timeout.
        ActorStoppedException refused = await Assert.ThrowsAsync<ActorStoppedException>(() => ask.Within());
        Assert.Contains("shutting down", refused.Message, StringComparison.Ordinal);
        Assert.False(disposing.IsCompleted);
        gate.SetResult();
        await disposing;
        Assert.Equal(1, system.DeadLetterCount);
    }

    [Fact]
    public async Task Messages_refused_during_shutdown_are_counted_one_by_one_and_hooked_and_persisted_as_one_summary_per_target_and_type()
    {
        var backend = new RecordingBackend();
        var hooks = new DeadLetterHooks();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend, Hooks = hooks });
        (ActorRef actor, TaskCompletionSource gate) = await SpawnBlockedAsync(system);
        actor.Tell("queued");

        ValueTask disposing = system.DisposeAsync();
        for (int i = 0; i < 1000; i++)
        {
            actor.Tell(new Increment());
        }

        Assert.Equal(1000, system.DeadLetterCount);
        gate.SetResult();
        await disposing;

        Assert.Equal(1001, system.DeadLetterCount);
        Assert.Equal(0, system.LateDeadLetterCount);
        DeadLetter summary = Assert.Single(hooks.DeadLetters, d => d.Message is DeadLetterSummary);
        var counted = Assert.IsType<DeadLetterSummary>(summary.Message);
        Assert.Equal((nameof(Increment), 1000L), (counted.MessageType, counted.Count));
        Assert.InRange(counted.FirstTimestamp, 1, summary.Timestamp);
        Assert.Equal((actor.Address, nameof(DeadLetterSummary), DeadLetterReason.ActorNotRunning), (summary.Target, summary.MessageType, summary.Reason));
        Assert.Equal(["queued", summary.Message], hooks.DeadLetters.Select(d => d.Message));

        PersistedDeadLetter[] persisted = [.. backend.Records.OfType<PersistedDeadLetter>()];
        Assert.Equal(["String", nameof(DeadLetterSummary)], persisted.Select(r => r.MessageType));
        Assert.Equal("{\"message_type\":\"Increment\",\"count\":1000,", persisted[1].Payload.GetRawText()[..41]);
    }

    [Fact]
    public async Task A_client_that_keeps_asking_during_shutdown_does_not_hold_up_the_shutdown()
    {
        var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));
        Task<string> first = actor.AskAsync<string>("block").AsTask();
        await entered.Task.Within();
        ValueTask disposing = system.DisposeAsync();
        Task disposal = disposing.AsTask();

        // Continues inline where the reply to "block" completes: on the thread that opens the
        // gate, inside the actor's turn. Asks fail at once there, so without care this loop would
        // never give that thread back, and the actor could not stop.
        using var giveUp = new CancellationTokenSource();
        Task<long> asking = KeepAskingAsync();
        _ = Task.Run(gate.SetResult);
        try
        {
            await disposal.Within();
            Assert.True(await asking.Within() > 0);
        }
        finally
        {
            await giveUp.CancelAsync();
        }

        async Task<long> KeepAskingAsync()
        {
            await first;
            long refused = 0;
            while (!disposal.IsCompleted && !giveUp.IsCancellationRequested)
            {
                try
                {
                    await actor.AskAsync<string>("again", TimeSpan.FromSeconds(60));
                }
                catch (ActorStoppedException)
                {
                    refused++;
                }
            }

            return refused;
        }
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
        DeadLetter letter = Assert.Single(system.GetRecentDeadLetters());
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
        Assert.Empty(system.GetRecentDeadLetters());
    }

    [Fact]
    public void Mailbox_capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MailboxOptions.Bounded(0));
        Assert.Null(MailboxOptions.Unbounded.Capacity);
    }

    private sealed class DeadLetterHooks : SystemHooks
    {
        public ConcurrentQueue<DeadLetter> DeadLetters { get; } = new();

        public override ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
        {
            DeadLetters.Enqueue(deadLetter);
            return ValueTask.CompletedTask;
        }
    }

    // An actor busy with a "block" message until the returned gate is opened.
    private static async Task<(ActorRef Actor, TaskCompletionSource Gate)> SpawnBlockedAsync(ActorSystem system)
    {
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));
        actor.Tell("block");
        await entered.Task.Within();
        return (actor, gate);
    }
}
