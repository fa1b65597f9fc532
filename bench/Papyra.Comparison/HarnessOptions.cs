using System.Globalization;

namespace ActorComparison;

/// <summary>Scenario sizes; every one can be changed on the command line (<c>--fanin 1000000</c>) or scaled (<c>--scale 0.1</c>).</summary>
internal sealed class HarnessOptions
{
    public int PingPongMessages { get; private set; } = 2_000_000;

    public int PingPong4MessagesPerPair { get; private set; } = 1_000_000;

    public int FanInMessages { get; private set; } = 10_000_000;

    public int FanInProducers { get; private set; } = 8;

    public int Requests { get; private set; } = 1_000_000;

    public int SpawnStopActors { get; private set; } = 100_000;

    public int IdleActors { get; private set; } = 100_000;

    public int Runs { get; private set; } = 3;

    /// <summary>Actors per sample of the independent lifecycle definition (spawn until started, then stop until stopped).</summary>
    public int LifecycleActors { get; private set; } = 100_000;

    /// <summary>Messages of the warm-up sink before the released fan-in samples.</summary>
    public int ReleasedWarmUp { get; private set; } = 1_000_000;

    /// <summary>Samples of the independent definitions and the persistent-store comparison (at least 5).</summary>
    public int Samples { get; private set; } = 5;

    public string[] Frameworks { get; private set; } = ["papyra", "akka", "proto"];

    public string[] Scenarios { get; private set; } = ["pingpong1", "pingpong4", "fanin", "request", "spawn", "idle", "lifecycle", "fanin8", "store"];

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        double scale = 1;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {name} needs a value.");
            switch (name)
            {
                case "--scale": scale = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--pingpong": options.PingPongMessages = ParseCount(name, value); break;
                case "--pingpong4": options.PingPong4MessagesPerPair = ParseCount(name, value); break;
                case "--fanin": options.FanInMessages = ParseCount(name, value); break;
                case "--producers": options.FanInProducers = ParseCount(name, value); break;
                case "--requests": options.Requests = ParseCount(name, value); break;
                case "--spawn": options.SpawnStopActors = ParseCount(name, value); break;
                case "--idle": options.IdleActors = ParseCount(name, value); break;
                case "--runs": options.Runs = ParseCount(name, value); break;
                case "--lifecycle": options.LifecycleActors = ParseCount(name, value); break;
                case "--released-warmup": options.ReleasedWarmUp = ParseCount(name, value); break;
                case "--samples": options.Samples = Math.Max(5, ParseCount(name, value)); break;
                case "--scenarios": options.Scenarios = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--only": options.Frameworks = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                default: throw new ArgumentException($"Unknown option {name}. Options: --scale F --pingpong N --pingpong4 N --fanin N --producers N --requests N --spawn N --idle N --runs N --lifecycle N --released-warmup N --samples N (>= 5) --only papyra,akka,proto --scenarios pingpong1,pingpong4,fanin,request,spawn,idle,lifecycle,fanin8,store");
            }
        }

        if (scale != 1)
        {
            options.PingPongMessages = Scale(options.PingPongMessages, scale);
            options.PingPong4MessagesPerPair = Scale(options.PingPong4MessagesPerPair, scale);
            options.FanInMessages = Scale(options.FanInMessages, scale);
            options.Requests = Scale(options.Requests, scale);
            options.SpawnStopActors = Scale(options.SpawnStopActors, scale);
            options.IdleActors = Scale(options.IdleActors, scale);
            options.LifecycleActors = Scale(options.LifecycleActors, scale);
            options.ReleasedWarmUp = Scale(options.ReleasedWarmUp, scale);
        }

        return options;
    }

    private static int Scale(int value, double scale) => Math.Max(1000, (int)(value * scale));

    private static int ParseCount(string name, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : throw new ArgumentException($"Option {name} needs a positive whole number, not '{value}'.");
}
