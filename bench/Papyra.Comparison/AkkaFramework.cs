using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace ActorComparison;

internal sealed class AkkaFramework : IFrameworkUnderTest
{
    private static readonly object Message = new();

    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """);

    public string Name => "Akka.NET";

    public async Task<double> PingPongAsync(int pairs, int messagesPerPair)
    {
        using var system = ActorSystem.Create("pingpong", Quiet);
        var done = new Countdown(pairs);
        var starters = new List<IActorRef>();
        for (int p = 0; p < pairs; p++)
        {
            IActorRef a = system.ActorOf(Props.Create(() => new Pinger(messagesPerPair / 2, done)));
            IActorRef b = system.ActorOf(Props.Create(() => new Pinger(long.MaxValue, done)));
            a.Tell(new Partner(b));
            b.Tell(new Partner(a));
            await a.Ask<bool>(Ready.Instance);
            await b.Ask<bool>(Ready.Instance);
            starters.Add(b);
        }

        var watch = Stopwatch.StartNew();
        foreach (IActorRef first in starters)
        {
            first.Tell(Message);
        }

        await done.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        await system.Terminate();
        return elapsed;
    }

    public async Task<double> FanInAsync(int producers, int total)
    {
        using var system = ActorSystem.Create("fanin", Quiet);
        var done = new Countdown(1);
        IActorRef sink = system.ActorOf(Props.Create(() => new Sink(total, done)));
        int perProducer = total / producers;
        var watch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, producers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < perProducer; i++)
                {
                    sink.Tell(Message, ActorRefs.NoSender);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(threads);
        await done.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        await system.Terminate();
        return elapsed;
    }

    public async Task<double> RequestResponseAsync(int count)
    {
        using var system = ActorSystem.Create("request", Quiet);
        IActorRef echo = system.ActorOf(Props.Create(() => new Echo()));
        TimeSpan timeout = TimeSpan.FromSeconds(5);
        await echo.Ask<object>(Message, timeout);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            await echo.Ask<object>(Message, timeout);
        }

        double elapsed = watch.Elapsed.TotalSeconds;
        await system.Terminate();
        return elapsed;
    }

    public async Task<double> SpawnStopAsync(int count)
    {
        using var system = ActorSystem.Create("spawn", Quiet);
        var stopped = new Countdown(count);
        Props props = Props.Create(() => new StopCounting(stopped));
        var refs = new IActorRef[count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            refs[i] = system.ActorOf(props);
        }

        for (int i = 0; i < count; i++)
        {
            system.Stop(refs[i]);
        }

        await stopped.Task;
        double elapsed = watch.Elapsed.TotalSeconds;
        await system.Terminate();
        return elapsed;
    }

    public async Task<double> BytesPerIdleActorAsync(int count)
    {
        using var system = ActorSystem.Create("idle", Quiet);
        var started = new Countdown(count + 1);
        Props props = Props.Create(() => new Idle(started));
        var refs = new IActorRef[count];
        system.ActorOf(props);
        long before = await Countdown.HeapAfterCollectAsync();
        for (int i = 0; i < count; i++)
        {
            refs[i] = system.ActorOf(props);
        }

        await started.Task;
        long after = await Countdown.HeapAfterCollectAsync();
        GC.KeepAlive(refs);
        await system.Terminate();
        return (after - before) / (double)count;
    }

    public async Task<LifecycleTimes> SpawnThenStopAsync(int count)
    {
        using var system = ActorSystem.Create("lifecycle", Quiet);
        var started = new Countdown(count);
        var stopped = new Countdown(count);
        Props props = Props.Create(() => new Lifecycle(started, stopped));
        var refs = new IActorRef[count];
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            refs[i] = system.ActorOf(props);
        }

        await started.Task;
        double spawn = watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (int i = 0; i < count; i++)
        {
            system.Stop(refs[i]);
        }

        await stopped.Task;
        var times = new LifecycleTimes(spawn, watch.Elapsed.TotalSeconds);
        await system.Terminate();
        return times;
    }

    public async Task<double[]> ReleasedFanInAsync(int producers, int total, int warmUpMessages, int samples)
    {
        using var system = ActorSystem.Create("fanin-released", Quiet);
        await SampleAsync(warmUpMessages);
        var seconds = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            seconds[s] = await SampleAsync(total);
        }

        await system.Terminate();
        return seconds;

        async Task<double> SampleAsync(int messages)
        {
            int perProducer = messages / producers;
            var done = new Countdown(1);
            IActorRef sink = system.ActorOf(Props.Create(() => new Sink(perProducer * producers, done)));
            double elapsed = await ReleasedFanIn.RunAsync(producers, perProducer, () => sink.Tell(Message, ActorRefs.NoSender), done.Task);
            system.Stop(sink);
            return elapsed;
        }
    }

    private sealed record Partner(IActorRef Ref);

    private sealed class Ready
    {
        public static readonly Ready Instance = new();
    }

    private sealed class Pinger(long receives, Countdown done) : UntypedActor
    {
        private long _remaining = receives;
        private IActorRef? _partner;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Partner partner:
                    _partner = partner.Ref;
                    return;
                case Ready:
                    Sender.Tell(true);
                    return;
            }

            if (--_remaining == 0)
            {
                done.Signal();
            }
            else
            {
                _partner!.Tell(message, Self);
            }
        }
    }

    private sealed class Sink(int total, Countdown done) : UntypedActor
    {
        private int _received;

        protected override void OnReceive(object message)
        {
            if (++_received == total)
            {
                done.Signal();
            }
        }
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }

    private sealed class StopCounting(Countdown stopped) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }

        protected override void PostStop() => stopped.Signal();
    }

    private sealed class Lifecycle(Countdown started, Countdown stopped) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }

        protected override void PreStart() => started.Signal();

        protected override void PostStop() => stopped.Signal();
    }

    private sealed class Idle(Countdown started) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
        }

        protected override void PreStart() => started.Signal();
    }
}
