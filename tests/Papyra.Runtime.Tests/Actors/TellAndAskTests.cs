using System.Collections.Concurrent;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class TellAndAskTests
{
    [Fact]
    public async Task Ask_returns_the_handler_result()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef counter = system.Spawn<CounterActor>();
        counter.Tell(new Increment());
        counter.Tell(new Increment());
        Assert.Equal(3, await counter.AskAsync<int>(new Increment()));
        Assert.Equal("pong", await counter.AskAsync<string>(new Echo("pong")));
    }

    [Fact]
    public async Task Ask_with_a_wrong_reply_type_fails_with_a_clear_cast_error()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef counter = system.Spawn<CounterActor>();
        var error = await Assert.ThrowsAsync<InvalidCastException>(() => counter.AskAsync<string>(new GetCount()).AsTask());
        Assert.Contains("System.Int32", error.Message);
        Assert.Contains("System.String", error.Message);
    }

    [Fact]
    public async Task Async_handlers_keep_messages_strictly_sequential()
    {
        await using var system = await TestSystem.StartAsync();
        var sink = new ConcurrentQueue<object>();
        ActorRef actor = system.Spawn(() => new AsyncAppendActor(sink));
        for (int i = 0; i < 200; i++)
        {
            actor.Tell(i);
        }

        await actor.AskAsync<object>(-1).Within();
        Assert.Equal(Enumerable.Range(0, 200).Cast<object>().Append(-1), sink);
    }

    [Fact]
    public async Task Ask_times_out_and_the_late_reply_is_dropped_and_counted_without_a_crash()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate), "slow");

        ValueTask<object> ask = actor.AskAsync<object>("block", TimeSpan.FromSeconds(2));
        await entered.Task.Within();
        clock.Advance(TimeSpan.FromSeconds(3));
        var timeout = await Assert.ThrowsAsync<AskTimeoutException>(() => ask.AsTask().Within());
        Assert.Contains(actor.Address.ToString(), timeout.Message);
        Assert.Contains("2 s", timeout.Message);
        Assert.IsAssignableFrom<TimeoutException>(timeout);

        gate.SetResult();
        Assert.Equal("after", await actor.AskAsync<string>("after").Within());
        Assert.Equal(1, system.LateReplies);
        Assert.DoesNotContain(system.GetRecentEvents(), e => e is ActorCrashed);
        Assert.True(actor.IsAlive);
    }

    [Fact]
    public async Task Ask_default_timeout_is_five_seconds()
    {
        var clock = TestSystem.FakeClock();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { TimeProvider = clock });
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));

        Task<object> ask = actor.AskAsync<object>("block").AsTask();
        await entered.Task.Within();
        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(ask.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        await Assert.ThrowsAsync<AskTimeoutException>(() => ask.Within());
        gate.SetResult();
    }

    [Fact]
    public async Task Ask_can_be_cancelled()
    {
        await using var system = await TestSystem.StartAsync();
        var entered = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        ActorRef actor = system.Spawn(() => new GatedActor(entered, gate));
        using var cts = new CancellationTokenSource();

        Task<object> ask = actor.AskAsync<object>("block", cancellationToken: cts.Token).AsTask();
        await entered.Task.Within();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask.Within());
        gate.SetResult();
        Assert.Equal("next", await actor.AskAsync<string>("next").Within());
    }

    [Fact]
    public async Task Ask_rejects_a_non_positive_timeout()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>();
        Assert.Throws<ArgumentOutOfRangeException>(() => actor.AskAsync<int>(new GetCount(), TimeSpan.Zero));
    }

    [Fact]
    public async Task Tell_and_Ask_reject_null_messages()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>();
        Assert.Throws<ArgumentNullException>(() => actor.Tell(null!));
        Assert.Throws<ArgumentNullException>(() => actor.AskAsync<int>(null!));
    }

    [Fact]
    public async Task Ten_thousand_actors_times_one_hundred_messages_keep_per_actor_fifo()
    {
        await using var system = await TestSystem.StartAsync();
        const int Actors = 10_000;
        const int Messages = 100;
        var sequences = new FifoActor.Log[Actors];
        var refs = new ActorRef[Actors];
        for (int i = 0; i < Actors; i++)
        {
            FifoActor.Log log = sequences[i] = new FifoActor.Log();
            refs[i] = system.Spawn(() => new FifoActor(log));
        }

        // Four producers interleave, each sending its own increasing sequence to every actor.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(producer => Task.Run(() =>
        {
            for (int m = producer; m < Messages; m += 4)
            {
                for (int a = 0; a < Actors; a++)
                {
                    refs[a].Tell(new FifoActor.Item(producer, m));
                }
            }
        })));

        await Task.WhenAll(refs.Select(r => r.AskAsync<int>("count", TimeSpan.FromSeconds(60)).AsTask())).Within();
        for (int a = 0; a < Actors; a++)
        {
            Assert.Equal(Messages, sequences[a].Count);
            Assert.True(sequences[a].InOrder, $"actor {a} saw a producer's messages out of order");
        }
    }

    [Fact]
    public async Task Endless_ping_pong_between_two_actors_does_not_starve_other_actors()
    {
        await using var system = await TestSystem.StartAsync();
#pragma warning disable PAP1005 // the test wires each bouncer to its partner's ref after both are spawned
        var left = new Bouncer();
        var right = new Bouncer();
#pragma warning restore PAP1005
        ActorRef leftRef = system.Spawn(() => left);
        ActorRef rightRef = system.Spawn(() => right);
        left.Partner = rightRef;
        right.Partner = leftRef;
        leftRef.Tell("ball");
        leftRef.Tell("ball");
        ActorRef bystander = system.Spawn<CounterActor>();

        for (int i = 1; i <= 50; i++)
        {
            Assert.Equal(i, await bystander.AskAsync<int>(new Increment()).Within());
        }

        await system.StopAsync(leftRef).Within();
        Assert.True(Volatile.Read(ref right.Bounces) > 0);
    }

    private sealed class Bouncer : Actor
    {
        public long Bounces;

        public ActorRef? Partner { get; set; }

        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Bounces);
            Partner!.Tell(message);
            return default;
        }
    }

    private sealed class AsyncAppendActor(ConcurrentQueue<object> sink) : Actor
    {
        protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            if (message is int i && i % 3 == 0)
            {
                await Task.Yield();
            }

            sink.Enqueue(message);
            return message;
        }
    }

    private sealed class FifoActor(FifoActor.Log log) : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            if (message is Item item)
            {
                log.Add(item);
                return default;
            }

            return new ValueTask<object?>(log.Count);
        }

        public sealed record Item(int Producer, int Sequence);

        public sealed class Log
        {
            private readonly int[] _last = [-1, -1, -1, -1];

            public int Count { get; private set; }

            public bool InOrder { get; private set; } = true;

            public void Add(Item item)
            {
                if (item.Sequence <= _last[item.Producer])
                {
                    InOrder = false;
                }

                _last[item.Producer] = item.Sequence;
                Count++;
            }
        }
    }
}
