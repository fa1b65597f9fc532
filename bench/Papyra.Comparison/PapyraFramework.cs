using Papyra;
using System.Diagnostics;

namespace ActorComparison;

internal sealed class PapyraFramework : IFrameworkUnderTest
{
    private static readonly object Message = new();

    public string Name => "Papyra";

    public async Task<double> PingPongAsync(int pairs, int messagesPerPair)
    {
        await using var system = await StartAsync();
        return await PingPongAsync(system, pairs, messagesPerPair);
    }

    public async Task<double> FanInAsync(int producers, int total)
    {
        await using var system = await StartAsync();
        var done = new Countdown(1);
        ActorRef sink = system.Spawn(() => new Sink(total, done));
        int perProducer = total / producers;
        var watch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, producers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < perProducer; i++)
                {
                    sink.Tell(Message);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(threads);
        await done.Task;
        return watch.Elapsed.TotalSeconds;
    }

    public async Task<double> RequestResponseAsync(int count)
    {
        await using var system = await StartAsync();
        ActorRef echo = system.Spawn(() => new Echo());
        await echo.AskAsync<object>(Message);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await echo.AskAsync<object>(Message);
        }

        return watch.Elapsed.TotalSeconds;
    }

    public async Task<double> SpawnStopAsync(int count)
    {
        await using var system = await StartAsync();
        var stopped = new Countdown(count);
        Func<Actor> factory = () => new StopCounting(stopped);
        var refs = new ActorRef[count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            refs[i] = system.Spawn(factory);
        }

        for (int i = 0; i < count; i++)
        {
            system.Stop(refs[i]);
        }

        await stopped.Task;
        return watch.Elapsed.TotalSeconds;
    }

    public async Task<double> BytesPerIdleActorAsync(int count)
    {
        await using var system = await StartAsync();
        var started = new Countdown(count + 1);
        Func<Actor> factory = () => new Idle(started);
        var refs = new ActorRef[count];
        system.Spawn(factory);
        long before = await Countdown.HeapAfterCollectAsync();
        for (int i = 0; i < count; i++)
        {
            refs[i] = system.Spawn(factory);
        }

        await started.Task;
        long after = await Countdown.HeapAfterCollectAsync();
        GC.KeepAlive(refs);
        return (after - before) / (double)count;
    }

    public async Task<LifecycleTimes> SpawnThenStopAsync(int count)
    {
        await using var system = new ActorSystem();
        await system.StartAsync();
        return await SpawnThenStopAsync(system, count);
    }

    /// <summary>The lifecycle sample on a given (started) system: the persistent-store comparison runs it with a store.</summary>
    public static async Task<LifecycleTimes> SpawnThenStopAsync(ActorSystem system, int count)
    {
        var started = new Countdown(count);
        var stopped = new Countdown(count);
        Func<Actor> factory = () => new Lifecycle(started, stopped);
        var refs = new ActorRef[count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            refs[i] = system.Spawn(factory);
        }

        await started.Task;
        double spawn = watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (int i = 0; i < count; i++)
        {
            system.Stop(refs[i]);
        }

        await stopped.Task;
        return new LifecycleTimes(spawn, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Ping-pong with one pair on a given (started) system: the persistent-store comparison runs it with a store.</summary>
    public static Task<double> PingPongAsync(ActorSystem system, int messages) => PingPongAsync(system, 1, messages);

    // The pairs exchange messages until each pair's first pinger has sent its share; the pingers are
    // stopped afterwards (untimed), so their lifecycle events are emitted before the system goes.
    private static async Task<double> PingPongAsync(ActorSystem system, int pairs, int messagesPerPair)
    {
        var done = new Countdown(pairs);
        var pingers = new List<ActorRef>();
        for (int p = 0; p < pairs; p++)
        {
#pragma warning disable PAP1005 // the harness wires each pair's partner refs into the instances before the first message
            var a = new Pinger(messagesPerPair / 2, done);
            var b = new Pinger(long.MaxValue, done);
#pragma warning restore PAP1005
            ActorRef refA = system.Spawn(() => a);
            ActorRef refB = system.Spawn(() => b);
            a.Partner = refB;
            b.Partner = refA;
            pingers.Add(refB);
            pingers.Add(refA);
        }

        var watch = Stopwatch.StartNew();
        for (int p = 0; p < pingers.Count; p += 2)
        {
            pingers[p].Tell(Message);
        }

        await done.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        foreach (ActorRef pinger in pingers)
        {
            await system.StopAsync(pinger);
        }

        return elapsed;
    }

    public async Task<double[]> ReleasedFanInAsync(int producers, int total, int warmUpMessages, int samples)
    {
        await using var system = new ActorSystem();
        await system.StartAsync();
        await SampleAsync(warmUpMessages);
        var seconds = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            seconds[s] = await SampleAsync(total);
        }

        return seconds;

        async Task<double> SampleAsync(int messages)
        {
            int perProducer = messages / producers;
            var done = new Countdown(1);
            ActorRef sink = system.Spawn(() => new Sink(perProducer * producers, done));
            double elapsed = await ReleasedFanIn.RunAsync(producers, perProducer, () => sink.Tell(Message), done.Task);
            await system.StopAsync(sink);
            return elapsed;
        }
    }

    private static async Task<ActorSystem> StartAsync()
    {
        var system = new ActorSystem(new ActorSystemOptions { EventLogCapacity = 1024 });
        await system.StartAsync();
        return system;
    }

    private sealed class Pinger(long receives, Countdown done) : Actor
    {
        private long _remaining = receives;

        public ActorRef? Partner { get; set; }

        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            if (--_remaining == 0)
            {
                done.Signal();
            }
            else
            {
                Partner!.Tell(message);
            }

            return default;
        }
    }

    private sealed class Sink(int total, Countdown done) : Actor
    {
        private int _received;

        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            if (++_received == total)
            {
                done.Signal();
            }

            return default;
        }
    }

    private sealed class Echo : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => new(message);
    }

    private sealed class StopCounting(Countdown stopped) : Actor
    {
        protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            stopped.Signal();
            return default;
        }
    }

    private sealed class Lifecycle(Countdown started, Countdown stopped) : Actor
    {
        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            started.Signal();
            return default;
        }

        protected override ValueTask OnStopAsync(CancellationToken cancellationToken)
        {
            stopped.Signal();
            return default;
        }
    }

    private sealed class Idle(Countdown started) : Actor
    {
        protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
        {
            started.Signal();
            return default;
        }
    }
}
