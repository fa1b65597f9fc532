using System.Diagnostics;
using System.Globalization;
using Papyra.Persistence.Redis;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>
/// A real Redis Cluster on 127.0.0.1: six redis-server processes (<c>--cluster-enabled yes</c>), made
/// three masters with one replica each by <c>redis-cli --cluster create … --cluster-replicas 1</c>.
/// Ready when every node reports <c>cluster_state:ok</c> and every replica's link to its master is up.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>Every node, comma-separated, in the URL syntax for several endpoints.</summary>
    public string Url => "redis://" + string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.Port.ToString(CultureInfo.InvariantCulture)}")) + "/0";

    public static async Task<RedisCluster> StartAsync(bool appendOnly = false)
    {
        var nodes = new List<RedisServer>();
        try
        {
            RedisServer[] started = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RedisServer.StartClusterNodeAsync(appendOnly)));
            nodes.AddRange(started);
            var cluster = new RedisCluster(nodes);
            string[] create = ["--cluster", "create", .. nodes.Select(n => $"127.0.0.1:{n.Port.ToString(CultureInfo.InvariantCulture)}"), "--cluster-replicas", "1", "--cluster-yes"];
            (int code, string output) = await CliAsync(create);
            if (code != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed ({code}): {output}");
            }

            await cluster.WaitUntilHealthyAsync(ReadyTimeout);
            return cluster;
        }
        catch
        {
            foreach (RedisServer node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    public RedisStreamsOptions Options(string systemId = "local", string? prefix = null) =>
        RedisStreamsOptions.FromUrl(Url) with
        {
            SystemId = systemId,
            KeyPrefix = prefix ?? RedisServer.UniquePrefix(),
            KeyLayout = RedisKeyLayout.HashTagged,
            MetricsPublishInterval = null,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            OperationTimeout = TimeSpan.FromSeconds(3),
            ReconnectInterval = TimeSpan.FromMilliseconds(200),
        };

    /// <summary>Runs <c>redis-cli -p port args…</c> against one node and returns its output.</summary>
    public static async Task<string> CommandAsync(RedisServer node, params string[] arguments)
    {
        (int code, string output) = await CliAsync(["-h", "127.0.0.1", "-p", node.Port.ToString(CultureInfo.InvariantCulture), .. arguments]);
        return code == 0 ? output : throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} on {node.Port} failed ({code}): {output}");
    }

    /// <summary>The node that is master of the slot of <paramref name="key"/> now.</summary>
    public async Task<RedisServer> MasterOfAsync(string key, IEnumerable<RedisServer>? candidates = null)
    {
        foreach (RedisServer node in candidates ?? Nodes)
        {
            if (node.ProcessId is null)
            {
                continue;
            }

            string slot = (await CommandAsync(node, "cluster", "keyslot", key)).Trim();
            string role = await CommandAsync(node, "role");
            if (!role.StartsWith("master", StringComparison.Ordinal))
            {
                continue;
            }

            string nodes = await CommandAsync(node, "cluster", "nodes");
            string? self = nodes.Split('\n').FirstOrDefault(l => l.Contains("myself", StringComparison.Ordinal));
            int wanted = int.Parse(slot, CultureInfo.InvariantCulture);
            if (self is not null && self.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(8).Any(range => InRange(range, wanted)))
            {
                return node;
            }
        }

        throw new InvalidOperationException($"No running master serves the slot of {key}.");
    }

    /// <summary>The running replica of <paramref name="master"/>.</summary>
    public async Task<RedisServer> ReplicaOfAsync(RedisServer master)
    {
        string masterId = (await CommandAsync(master, "cluster", "myid")).Trim();
        foreach (RedisServer node in Nodes.Where(n => n != master && n.ProcessId is not null))
        {
            string nodes = await CommandAsync(node, "cluster", "nodes");
            string? self = nodes.Split('\n').FirstOrDefault(l => l.Contains("myself", StringComparison.Ordinal));
            if (self is not null && self.Split(' ')[3] == masterId)
            {
                return node;
            }
        }

        throw new InvalidOperationException($"No running replica of {master.Port}.");
    }

    /// <summary>Sends a signal (STOP, CONT) to a node's process.</summary>
    public static async Task SignalAsync(RedisServer node, string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, (node.ProcessId ?? throw new InvalidOperationException("The node is not running.")).ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} failed ({kill.ExitCode}).");
        }
    }

    /// <summary>Polls until every running node says <c>cluster_state:ok</c> and every running replica's master link is up.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        string last = string.Empty;
        while (deadline.Elapsed < timeout)
        {
            bool healthy = true;
            foreach (RedisServer node in Nodes.Where(n => n.ProcessId is not null))
            {
                string info = await CommandAsync(node, "cluster", "info");
                string replication = await CommandAsync(node, "info", "replication");
                if (!info.Contains("cluster_state:ok", StringComparison.Ordinal)
                    || (replication.Contains("role:slave", StringComparison.Ordinal) && !replication.Contains("master_link_status:up", StringComparison.Ordinal)))
                {
                    healthy = false;
                    last = $"node {node.Port}: {info.Split('\n')[0].Trim()} {replication.Replace('\n', ' ')}";
                    break;
                }
            }

            if (healthy)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The Redis Cluster was not healthy within {timeout}: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RedisServer node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static bool InRange(string range, int slot)
    {
        if (range.StartsWith('['))
        {
            return false;
        }

        string[] bounds = range.Split('-');
        int low = int.Parse(bounds[0], CultureInfo.InvariantCulture);
        int high = bounds.Length > 1 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : low;
        return slot >= low && slot <= high;
    }

    private static async Task<(int Code, string Output)> CliAsync(string[] arguments)
    {
        var start = new ProcessStartInfo(RedisServer.FindBinary("redis-cli"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
