using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Metrics;
using Papyra.TestSupport;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>
/// <c>papyra dashboard</c> as an operator runs it: the real binary serving a store on 127.0.0.1, read-only,
/// with the page and data shape of <c>MapPapyraDashboard</c> (the browser tests are in Papyra.Dashboard.Tests).
/// </summary>
public sealed class DashboardCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dashboard_serves_the_store_read_only_in_the_approved_data_shape()
    {
        using var dir = new StoreDirectory();
        string restarted = """{"kind":"event","system_id":"local","actor_address":{"system":"local","actor_id":1},"event_type":"ActorRestarted","payload":{"reason":"InvalidOperationException: boom"},"timestamp":350.0}""";
        dir.WriteStore(StoreDirectory.Event1, StoreDirectory.Event2, StoreDirectory.Event3, restarted, StoreDirectory.Audit1, StoreDirectory.DeadLetter1);
        byte[] before = await File.ReadAllBytesAsync(dir.Store);
        string[] filesBefore = Directory.GetFiles(dir.Root);

        using Process papyra = PapyraProcess.Start(dir.Root, "dashboard", "--path", dir.Store, "--port", "0", "--json");
        try
        {
            Uri url = await ReadUrlAsync(papyra);
            Assert.Equal("127.0.0.1", url.Host);
            using HttpClient client = new() { BaseAddress = url, Timeout = Wait };

            string page = await client.GetStringAsync(url);
            Assert.Contains("<script src=\"dashboard.js\"", page, StringComparison.Ordinal);
            using HttpResponseMessage script = await client.GetAsync(new Uri("dashboard.js", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

            using JsonDocument data = JsonDocument.Parse(await client.GetStringAsync(new Uri("data", UriKind.Relative)));
            JsonElement root = data.RootElement;
            Assert.Equal("store", root.GetProperty("source").GetString());
            Assert.Equal("Offline", root.GetProperty("state").GetString());
            Assert.Equal(1, root.GetProperty("runtime").GetProperty("restarts").GetInt64());
            Assert.Equal(1, root.GetProperty("runtime").GetProperty("dead_letters").GetInt64());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("runtime").GetProperty("messages_processed").ValueKind);
            Assert.Equal(1, root.GetProperty("actors").GetProperty("alive").GetInt64());
            Assert.Equal(1, root.GetProperty("actors").GetProperty("stopped").GetInt64());
            JsonElement letter = Assert.Single(root.GetProperty("recent_dead_letters").EnumerateArray());
            Assert.Equal("local:2", letter.GetProperty("target").GetString());
            Assert.Equal("Ping", letter.GetProperty("message_type").GetString());
            Assert.Equal("Healthy", root.GetProperty("persistence").GetProperty("status").GetString());
            Assert.False(root.GetProperty("persistence").GetProperty("live").GetBoolean());

            // The same contract as a hosted app's: every path is one the approved shape has.
            IReadOnlySet<string> approved = ApprovedPaths();
            Assert.Subset(approved.ToHashSet(StringComparer.Ordinal), JsonShape.Paths(root).ToHashSet(StringComparer.Ordinal));
            Assert.Equal(
                approved.Where(p => p.Count(c => c == '.') == 1 && !p.Contains('[', StringComparison.Ordinal)).Order(StringComparer.Ordinal),
                root.EnumerateObject().Select(p => "$." + p.Name).Order(StringComparer.Ordinal));

            // A running system's published counters make it live.
            PersistenceMetricsFile.Publish(dir.Store, "json", new PersistenceMetricsSnapshot { RecordsWritten = 6, BytesWritten = 900 });
            JsonElement persistence = await WaitForAsync(client, d => d.GetProperty("persistence").GetProperty("live").GetBoolean());
            Assert.Equal(6, persistence.GetProperty("persistence").GetProperty("counters").GetProperty("records_written").GetInt64());
            Assert.Equal("Running", persistence.GetProperty("state").GetString());
        }
        finally
        {
            papyra.Kill(entireProcessTree: true);
            await papyra.WaitForExitAsync();
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Store));
        Assert.Equal(
            filesBefore.Append(PersistenceMetricsFile.MetricsPathFor(dir.Store)).Order(StringComparer.Ordinal),
            Directory.GetFiles(dir.Root).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_port_is_a_usage_error()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "dashboard", "--path", dir.Store, "--port", "70000");

        CliAssert.ExitCode(64, result);
        Assert.Contains("'70000'", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_an_io_error()
    {
        using var dir = new StoreDirectory();
        using System.Net.Sockets.TcpListener busy = new(IPAddress.Loopback, 0);
        busy.Start();
        string port = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "dashboard", "--path", dir.Store, "--port", port);

        CliAssert.ExitCode(74, result);
    }

    /// <summary>Reads the <c>{"url": …}</c> document <c>papyra dashboard --json</c> prints once it serves.</summary>
    internal static async Task<Uri> ReadUrlAsync(Process papyra)
    {
        StringBuilder json = new();
        while (true)
        {
            string? line = await papyra.StandardOutput.ReadLineAsync().WaitAsync(Wait);
            if (line is null)
            {
                Assert.Fail($"papyra dashboard ended early: {await papyra.StandardError.ReadToEndAsync()}");
            }

            json.AppendLine(line);
            if (line == "}")
            {
                break;
            }
        }

        using JsonDocument started = JsonDocument.Parse(json.ToString());
        return new Uri(started.RootElement.GetProperty("url").GetString()!);
    }

    /// <summary>Polls the data endpoint (as the page does, once a second) until the condition holds.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient client, Func<JsonElement, bool> condition)
    {
        using CancellationTokenSource timeout = new(Wait);
        using PeriodicTimer poll = new(TimeSpan.FromMilliseconds(250));
        do
        {
            using JsonDocument data = JsonDocument.Parse(await client.GetStringAsync(new Uri("data", UriKind.Relative), timeout.Token));
            if (condition(data.RootElement))
            {
                return data.RootElement.Clone();
            }
        }
        while (await poll.WaitForNextTickAsync(timeout.Token));

        throw new TimeoutException("the dashboard never showed the expected data");
    }

    private static IReadOnlySet<string> ApprovedPaths()
        => File.ReadAllLines(Path.Combine(Approvals.ApiDirectory, "dashboard-data.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);
}
