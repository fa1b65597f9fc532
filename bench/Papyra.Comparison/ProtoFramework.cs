using System.Diagnostics;
using Proto;

namespace ActorComparison;

internal sealed class ProtoFramework : IFrameworkUnderTest
{
    private static readonly object Message = new Ping();

    public string Name => "Proto.Actor";

    public async Task<double> PingPongAsync(int pairs, int messagesPerPair)
    {
        var system = new ActorSystem();
        var done = new Countdown(pairs);
        var starters = new List<PID>();
        for (int p = 0; p < pairs; p++)
        {
            var a = new Pinger(messagesPerPair / 2, done);
            var b = new Pinger(long.MaxValue, done);
            PID pidA = system.Root.Spawn(Props.FromProducer(() => a));
            PID pidB = system.Root.Spawn(Props.FromProducer(() => b));
            a.Partner = pidB;
            b.Partner = pidA;
            starters.Add(pidB);
        }

        var watch = Stopwatch.StartNew();
        foreach (PID first in starters)
        {
            system.Root.Send(first, Message);
        }

        await done.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        await system.ShutdownAsync();
        return elapsed;
    }

    public async Task<double> FanInAsync(int producers, int total)
    {
        var system = new ActorSystem();
        var done = new Countdown(1);
        PID sink = system.Root.Spawn(Props.FromProducer(() => new Sink(total, done)));
        int perProducer = total / producers;
        var watch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, producers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < perProducer; i++)
                {
                    system.Root.Send(sink, Message);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(threads);
        await done.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        await system.ShutdownAsync();
        return elapsed;
    }

    public async Task<double> RequestResponseAsync(int count)
    {
        var system = new ActorSystem();
        PID echo = system.Root.Spawn(Props.FromProducer(() => new Echo()));
        TimeSpan timeout = TimeSpan.FromSeconds(5);
        await system.Root.RequestAsync<object>(echo, Message, timeout);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await system.Root.RequestAsync<object>(echo, Message, timeout);
        }

        double elapsed = watch.Elapsed.TotalSeconds;
        await system.ShutdownAsync();
        return elapsed;
    }

    public async Task<double> SpawnStopAsync(int count)
    {
        var system = new ActorSystem();
        var stopped = new Countdown(count);
        Props props = Props.FromProducer(() => new StopCounting(stopped));
        var pids = new PID[count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            pids[i] = system.Root.Spawn(props);
        }

        for (int i = 0; i < count; i++)
        {
            system.Root.Stop(pids[i]);
        }

        await stopped.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        await system.ShutdownAsync();
        return elapsed;
    }

    public async Task<double> BytesPerIdleActorAsync(int count)
    {
        var system = new ActorSystem();
        var started = new Countdown(count + 1);
        Props props = Props.FromProducer(() => new Idle(started));
        var pids = new PID[count];
        system.Root.Spawn(props);
        long before = await Countdown.HeapAfterCollectAsync();
        for (int i = 0; i < count; i++)
        {
            pids[i] = system.Root.Spawn(props);
        }

        await started.Task;
        long after = await Countdown.HeapAfterCollectAsync();
        GC.KeepAlive(pids);
        await system.ShutdownAsync();
        return (after - before) / (double)count;
    }

    public async Task<LifecycleTimes> SpawnThenStopAsync(int count)
    {
        var system = new ActorSystem();
        var started = new Countdown(count);
        var stopped = new Countdown(count);
        Props props = Props.FromProducer(() => new Lifecycle(started, stopped));
        var pids = new PID[count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            pids[i] = system.Root.Spawn(props);
        }

        await started.Task;
        double spawn = watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (int i = 0; i < count; i++)
        {
            system.Root.Stop(pids[i]);
        }

        await stopped.Task;
        var times = new LifecycleTimes(spawn, watch.Elapsed.TotalSeconds);
        await system.ShutdownAsync();
        return times;
    }

    public async Task<double[]> ReleasedFanInAsync(int producers, int total, int warmUpMessages, int samples)
    {
        var system = new ActorSystem();
        await SampleAsync(warmUpMessages);
        var seconds = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            seconds[s] = await SampleAsync(total);
        }

        await system.ShutdownAsync();
        return seconds;

        async Task<double> SampleAsync(int messages)
        {
            int perProducer = messages / producers;
            var done = new Countdown(1);
            PID sink = system.Root.Spawn(Props.FromProducer(() => new Sink(perProducer * producers, done)));
            double elapsed = await ReleasedFanIn.RunAsync(producers, perProducer, () => system.Root.Send(sink, Message), done.Task);
            system.Root.Stop(sink);
            return elapsed;
        }
    }

    private sealed class Ping;

    private sealed class Pinger(long receives, Countdown done) : IActor
    {
        private long _remaining = receives;

        public PID? Partner { get; set; }

        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Ping)
            {
                if (--_remaining == 0)
                {
                    done.Signal();
                }
                else
                {
                    context.Send(Partner!, context.Message);
                }
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Sink(int total, Countdown done) : IActor
    {
        private int _received;

        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Ping && ++_received == total)
            {
                done.Signal();
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Echo : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Ping)
            {
                context.Respond(context.Message);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class StopCounting(Countdown stopped) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Stopped)
            {
                stopped.Signal();
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Lifecycle(Countdown started, Countdown stopped) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Started:
                    started.Signal();
                    break;
                case Stopped:
                    stopped.Signal();
                    break;
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Idle(Countdown started) : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Started)
            {
                started.Signal();
            }

            return Task.CompletedTask;
        }
    }
}
