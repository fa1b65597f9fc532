// The dashboard's cost, measured (bench/DASHBOARD.md):
//   page weight: the bytes of everything the page loads (page, script, style sheet), fetched over HTTP;
//   host CPU: the host process's CPU time over wall time while N pages follow the SSE stream, in a
//   child process so the clients' own CPU is not counted; minus the same host's idle CPU.
// Usage: dotnet run --project bench/Papyra.Dashboard.Benchmarks -c Release -- [--pages 10] [--seconds 30] [--actors 100]
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Papyra;
using Papyra.Dashboard.Benchmarks;
using Papyra.Hosting;

if (args is ["--clients", string url, string pages, string seconds])
{
    return await Clients.RunAsync(new Uri(url), int.Parse(pages, CultureInfo.InvariantCulture), int.Parse(seconds, CultureInfo.InvariantCulture));
}

int pageCount = Option("--pages", 10);
int duration = Option("--seconds", 30);
int actorCount = Option("--actors", 100);

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddPapyra(o => o.SystemId = "bench");
WebApplication app = builder.Build();
app.MapPapyraEndpoints();
app.MapPapyraDashboard();
await app.StartAsync();
Uri root = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
for (int i = 0; i < actorCount; i++)
{
    system.Spawn(() => new Idle(), name: $"actor-{i}");
}

using HttpClient http = new() { BaseAddress = root };
long weight = 0;
foreach (string file in (string[])["/papyra/dashboard/", "/papyra/dashboard/dashboard.js", "/papyra/dashboard/dashboard.css"])
{
    byte[] body = await http.GetByteArrayAsync(new Uri(file, UriKind.Relative));
    Console.WriteLine($"asset {file,-34} {body.Length,7} bytes");
    weight += body.Length;
}

Console.WriteLine($"page weight (all assets): {weight} bytes = {weight / 1024.0:F1} KB (budget 150 KB)");
byte[] snapshot = await http.GetByteArrayAsync(new Uri("/papyra/dashboard/data", UriKind.Relative));
Console.WriteLine($"one snapshot: {snapshot.Length} bytes ({actorCount} actors)");

Uri stream = new(root, "/papyra/dashboard/stream");
await RunClientsAsync(stream, pageCount, 5); // warm-up: JIT, tiering
(double idle, _) = await MeasureAsync(() => Task.Delay(TimeSpan.FromSeconds(duration)));
string events = string.Empty;
(double loaded, double wall) = await MeasureAsync(async () => events = await RunClientsAsync(stream, pageCount, duration));
Console.WriteLine($"host CPU, idle:                  {idle:P2} of one core over {duration} s");
Console.WriteLine($"host CPU, {pageCount} pages streaming:    {loaded:P2} of one core over {wall:F1} s ({events.Trim()})");
Console.WriteLine($"cost of the live updates:        {Math.Max(0, loaded - idle):P2} of one core (budget 2 %)");
await app.StopAsync();
return 0;

int Option(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task<(double Share, double Wall)> MeasureAsync(Func<Task> work)
{
    using Process self = Process.GetCurrentProcess();
    TimeSpan cpuBefore = self.TotalProcessorTime;
    Stopwatch wall = Stopwatch.StartNew();
    await work();
    wall.Stop();
    self.Refresh();
    return ((self.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds, wall.Elapsed.TotalSeconds);
}

static async Task<string> RunClientsAsync(Uri stream, int pages, int seconds)
{
    ProcessStartInfo start = new(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("Papyra.Dashboard.Benchmarks", StringComparison.Ordinal))
    {
        start.ArgumentList.Add(typeof(Idle).Assembly.Location); // run through `dotnet <dll>`
    }

    foreach (string arg in (string[])["--clients", stream.ToString(), pages.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)])
    {
        start.ArgumentList.Add(arg);
    }

    using Process clients = Process.Start(start)!;
    string output = await clients.StandardOutput.ReadToEndAsync();
    await clients.WaitForExitAsync();
    return output;
}

namespace Papyra.Dashboard.Benchmarks
{
    /// <summary>An actor that only exists: the dashboard lists and describes it every second.</summary>
    internal sealed class Idle : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => new(message);
    }

    /// <summary>N pages following the stream (in their own process), counting the events they receive.</summary>
    internal static class Clients
    {
        public static async Task<int> RunAsync(Uri stream, int pages, int seconds)
        {
            using CancellationTokenSource stop = new(TimeSpan.FromSeconds(seconds));
            using HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
            long[] counts = new long[pages];
            await Task.WhenAll(Enumerable.Range(0, pages).Select(async page =>
            {
                try
                {
                    using HttpResponseMessage response = await http.GetAsync(stream, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                    using StreamReader reader = new(await response.Content.ReadAsStreamAsync(stop.Token));
                    while (await reader.ReadLineAsync(stop.Token) is { } line)
                    {
                        if (line.StartsWith("data: ", StringComparison.Ordinal))
                        {
                            counts[page]++;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // the measurement ended
                }
            }));
            Console.WriteLine($"{counts.Sum()} events to {pages} pages, {counts.Min()}-{counts.Max()} per page");
            return 0;
        }
    }
}
