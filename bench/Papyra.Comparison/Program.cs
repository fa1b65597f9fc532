using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using ActorComparison;

// Side-by-side harness: the same scenarios on Papyra, Akka.NET and Proto.Actor in one process.
// Each scenario warms up (a small run, then full-size runs for at least a second, so the JIT has
// tiered the hot paths up), then runs --runs times; the median counts.
HarnessOptions options = HarnessOptions.Parse(args);
IFrameworkUnderTest[] all = [new PapyraFramework(), new AkkaFramework(), new ProtoFramework()];
IFrameworkUnderTest[] frameworks = all.Where(f => options.Frameworks.Any(n => f.Name.StartsWith(n, StringComparison.OrdinalIgnoreCase))).ToArray();

string cpu = File.Exists("/proc/cpuinfo")
    ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
    : "unknown CPU";
Console.WriteLine($"machine: {cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, GC {(GCSettings.IsServerGC ? "server" : "workstation")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"sizes: pingpong1={options.PingPongMessages} msgs, pingpong4=4x{options.PingPong4MessagesPerPair} msgs, fanin={options.FanInMessages} msgs from {options.FanInProducers} producers, request={options.Requests}, spawn+stop={options.SpawnStopActors}, idle={options.IdleActors}; median of {options.Runs} runs");
Console.WriteLine($"independent definitions: lifecycle={options.LifecycleActors} actors (fresh system per sample, one warm-up round), fanin8={options.FanInMessages} msgs from {options.FanInProducers} released threads (fresh sink per sample after a {options.ReleasedWarmUp}-message warm-up); {options.Samples} samples, median (min-max)");
Console.WriteLine();

var scenarios = new (string Key, string Title, string Unit, bool HigherIsBetter, Func<IFrameworkUnderTest, double, Task<double>> Run)[]
{
    ("pingpong1", "ping-pong, 1 pair", "msg/s", true, async (f, s) => Rate(Size(options.PingPongMessages, s), await f.PingPongAsync(1, Size(options.PingPongMessages, s)))),
    ("pingpong4", "ping-pong, 4 pairs", "msg/s", true, async (f, s) => Rate(4.0 * Size(options.PingPong4MessagesPerPair, s), await f.PingPongAsync(4, Size(options.PingPong4MessagesPerPair, s)))),
    ("fanin", $"fan-in, {options.FanInProducers} producers", "msg/s", true, async (f, s) => Rate(Size(options.FanInMessages, s), await f.FanInAsync(options.FanInProducers, Size(options.FanInMessages, s)))),
    ("request", "request/response, sequential", "req/s", true, async (f, s) => Rate(Size(options.Requests, s), await f.RequestResponseAsync(Size(options.Requests, s)))),
    ("spawn", "spawn+stop", "actors/s", true, async (f, s) => Rate(Size(options.SpawnStopActors, s), await f.SpawnStopAsync(Size(options.SpawnStopActors, s)))),
    ("idle", "memory per idle actor", "bytes", false, async (f, s) => await f.BytesPerIdleActorAsync(Size(options.IdleActors, s))),
};
scenarios = scenarios.Where(s => options.Scenarios.Contains(s.Key, StringComparer.OrdinalIgnoreCase)).ToArray();

var results = new Dictionary<(string, string), double>();
var spreads = new Dictionary<(string, string), (double Min, double Max)>();
foreach (var scenario in scenarios)
{
    foreach (IFrameworkUnderTest framework in frameworks)
    {
        // Warm-up: a small run, then full-size runs until a second has passed. The JIT tiers methods
        // up only after they have run for a while (call counting starts 100 ms after the last
        // tier-0 compilation), so a 0.1 s warm-up would measure tier-0 code for the fast scenarios.
        await scenario.Run(framework, 0.1);
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await scenario.Run(framework, 1);
        }
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1));

        var samples = new List<double>();
        for (int run = 0; run < options.Runs; run++)
        {
            // Each run starts from a collected heap, so one run's garbage does not tax the next.
            await Countdown.HeapAfterCollectAsync();
            samples.Add(await scenario.Run(framework, 1));
        }

        samples.Sort();
        results[(scenario.Key, framework.Name)] = samples[samples.Count / 2];
        Console.Error.WriteLine($"  {scenario.Key,-10} {framework.Name,-12} {string.Join(" ", samples.Select(Format))}");
    }
}


// The independent definitions: their own sampling (at least 5 samples, median and min-max).
var independent = new List<(string Key, string Title, string Unit)>();
if (options.Scenarios.Contains("lifecycle", StringComparer.OrdinalIgnoreCase))
{
    independent.Add(("spawnstart", "spawn until every start hook ran", "actors/s"));
    independent.Add(("stop", "stop until every stop hook ran", "actors/s"));
    independent.Add(("createstop", "create + stop", "actors/s"));
    // Every framework's warm-up round first, then the samples interleaved (one of each framework in
    // turn): run back to back, the framework measured first ran on a colder JIT (the thread pool's
    // and the collections' code still tiering up) than the ones after it.
    int n = options.LifecycleActors;
    var samples = frameworks.ToDictionary(f => f.Name, _ => (Spawn: new List<double>(), Stop: new List<double>(), Both: new List<double>()));
    foreach (IFrameworkUnderTest framework in frameworks)
    {
        await framework.SpawnThenStopAsync(n); // the warm-up round
    }

    for (int i = 0; i < options.Samples; i++)
    {
        foreach (IFrameworkUnderTest framework in frameworks)
        {
            await Countdown.HeapAfterCollectAsync();
            LifecycleTimes times = await framework.SpawnThenStopAsync(n);
            var (spawn, stop, both) = samples[framework.Name];
            spawn.Add(n / times.Spawn);
            stop.Add(n / times.Stop);
            both.Add(n / (times.Spawn + times.Stop));
        }
    }

    foreach (IFrameworkUnderTest framework in frameworks)
    {
        var (spawn, stop, both) = samples[framework.Name];
        Record("spawnstart", framework.Name, spawn);
        Record("stop", framework.Name, stop);
        Record("createstop", framework.Name, both);
    }
}

if (options.Scenarios.Contains("fanin8", StringComparer.OrdinalIgnoreCase))
{
    independent.Add(("fanin8", $"fan-in, {options.FanInProducers} threads released together", "msg/s"));
    foreach (IFrameworkUnderTest framework in frameworks)
    {
        int perProducer = options.FanInMessages / options.FanInProducers;
        double[] seconds = await framework.ReleasedFanInAsync(options.FanInProducers, options.FanInMessages, options.ReleasedWarmUp, options.Samples);
        Record("fanin8", framework.Name, seconds.Select(t => perProducer * (double)options.FanInProducers / t).ToList());
    }
}

// Papyra alone: the default persistent configuration against no store.
IReadOnlyList<string> storeLines = frameworks.Any(f => f.Name == "Papyra") && options.Scenarios.Contains("store", StringComparer.OrdinalIgnoreCase)
    ? await StoreComparison.RunAsync(options, Format)
    : [];

Console.WriteLine();
string header = $"| {"scenario",-32} | {"unit",-8} |" + string.Concat(frameworks.Select(f => $" {f.Name,12} |"));
bool hasAkka = frameworks.Any(f => f.Name == "Akka.NET") && frameworks.Any(f => f.Name == "Papyra");
bool hasProto = frameworks.Any(f => f.Name == "Proto.Actor") && frameworks.Any(f => f.Name == "Papyra");
header += (hasAkka ? " papyra/akka |" : string.Empty) + (hasProto ? " papyra/proto |" : string.Empty);
Console.WriteLine(header);
Console.WriteLine(new string('|', 1) + string.Concat(header.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(c => new string('-', c.Length) + "|")));
foreach (var scenario in scenarios)
{
    string row = $"| {scenario.Title,-32} | {scenario.Unit,-8} |" + string.Concat(frameworks.Select(f => $" {Format(results[(scenario.Key, f.Name)]),12} |"));
    if (hasAkka)
    {
        row += $" {Ratio(scenario.Key, "Akka.NET", scenario.HigherIsBetter),11} |";
    }

    if (hasProto)
    {
        row += $" {Ratio(scenario.Key, "Proto.Actor", scenario.HigherIsBetter),12} |";
    }

    Console.WriteLine(row);
}

if (independent.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine($"independent definitions, median of {options.Samples} samples (min-max):");
    string header2 = $"| {"scenario",-40} | {"unit",-8} |" + string.Concat(frameworks.Select(f => $" {f.Name,-24} |"));
    header2 += (hasAkka ? " papyra/akka |" : string.Empty) + (hasProto ? " papyra/proto |" : string.Empty);
    Console.WriteLine(header2);
    Console.WriteLine(new string('|', 1) + string.Concat(header2.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(c => new string('-', c.Length) + "|")));
    foreach (var (key, title, unit) in independent)
    {
        string row = $"| {title,-40} | {unit,-8} |" + string.Concat(frameworks.Select(f => $" {Format(results[(key, f.Name)]) + " (" + Format(spreads[(key, f.Name)].Min) + "-" + Format(spreads[(key, f.Name)].Max) + ")",-24} |"));
        if (hasAkka)
        {
            row += $" {Ratio(key, "Akka.NET", true),11} |";
        }

        if (hasProto)
        {
            row += $" {Ratio(key, "Proto.Actor", true),12} |";
        }

        Console.WriteLine(row);
    }
}

if (storeLines.Count > 0)
{
    Console.WriteLine();
    foreach (string line in storeLines)
    {
        Console.WriteLine(line);
    }
}

Console.WriteLine();
Console.WriteLine("ratios > 1 mean Papyra is better (throughput ratio; for memory, their bytes / Papyra's bytes).");
if (hasAkka)
{
    Console.WriteLine(RatioLine("akka", "Akka.NET"));
}

if (hasProto)
{
    Console.WriteLine(RatioLine("proto", "Proto.Actor"));
}

string RatioLine(string shortName, string name)
{
    string line = $"ratios papyra/{shortName} " + string.Join(' ', scenarios.Where(s => s.Key != "idle").Select(s => $"{s.Key}={Ratio(s.Key, name, true)}"));
    foreach (var (key, _, _) in independent)
    {
        line += $" {key}={Ratio(key, name, true)}";
    }

    if (independent.Any(i => i.Key == "fanin8"))
    {
        // Papyra's slowest sample against the other framework's median: > 1 means every Papyra sample beat their median.
        line += $" fanin8-slowest={(spreads[("fanin8", "Papyra")].Min / results[("fanin8", name)]).ToString("0.00", CultureInfo.InvariantCulture)}";
    }

    return line;
}

void Record(string key, string framework, List<double> samples)
{
    samples.Sort();
    results[(key, framework)] = samples[samples.Count / 2];
    spreads[(key, framework)] = (samples[0], samples[^1]);
    Console.Error.WriteLine($"  {key,-10} {framework,-12} {string.Join(" ", samples.Select(Format))}");
}

string Ratio(string key, string other, bool higherIsBetter)
{
    double papyra = results[(key, "Papyra")];
    double theirs = results[(key, other)];
    double ratio = higherIsBetter ? papyra / theirs : theirs / papyra;
    return ratio.ToString("0.00", CultureInfo.InvariantCulture);
}

static int Size(int full, double scale) => Math.Max(100, (int)(full * scale));

static double Rate(double count, double seconds) => count / seconds;

static string Format(double value) => value >= 1_000_000
    ? (value / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture) + "M"
    : value >= 10_000
        ? (value / 1000).ToString("0.0", CultureInfo.InvariantCulture) + "k"
        : value.ToString("0", CultureInfo.InvariantCulture);
