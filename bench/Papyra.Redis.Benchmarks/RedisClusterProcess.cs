using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Papyra.Redis.Benchmarks;

/// <summary>
/// A private Redis Cluster on 127.0.0.1 (no persistence): six redis-server processes made three
/// masters with one replica each by <c>redis-cli --cluster create</c>, killed by the benchmark.
/// </summary>
internal sealed class RedisClusterProcess : IDisposable
{
    private readonly List<(Process Process, string Directory)> _nodes = [];

    private RedisClusterProcess()
    {
    }

    public List<int> Ports { get; } = [];

    /// <summary>Every node, comma-separated: the URL syntax for several endpoints.</summary>
    public string Url => "redis://" + string.Join(',', Ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}")) + "/0";

    public static RedisClusterProcess Start()
    {
        var cluster = new RedisClusterProcess();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                int port = FreeClusterPort();
                string directory = Path.Combine(Path.GetTempPath(), "papyra-bench-cluster-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(directory);
                var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = directory };
                foreach (string argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", directory, "--protected-mode", "no", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000" })
                {
                    start.ArgumentList.Add(argument);
                }

                Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
                process.OutputDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                cluster._nodes.Add((process, directory));
                cluster.Ports.Add(port);
            }

            foreach (int port in cluster.Ports)
            {
                Until(() => Cli(port, "ping").Contains("PONG", StringComparison.Ordinal), $"node {port} to answer PING");
            }

            string created = Cli(cluster.Ports[0], ["--cluster", "create", .. cluster.Ports.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"), "--cluster-replicas", "1", "--cluster-yes"]);
            foreach (int port in cluster.Ports)
            {
                Until(
                    () => Cli(port, "cluster", "info").Contains("cluster_state:ok", StringComparison.Ordinal)
                        && Cli(port, "info", "replication") is var r && (!r.Contains("role:slave", StringComparison.Ordinal) || r.Contains("master_link_status:up", StringComparison.Ordinal)),
                    $"node {port} to be in a healthy cluster ({created.Split('\n').LastOrDefault(l => l.Length > 0)})");
            }

            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach ((Process process, string directory) in _nodes)
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            Directory.Delete(directory, recursive: true);
        }

        _nodes.Clear();
    }

    private static void Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"Timed out waiting for {what}.");
            }

            Thread.Sleep(50);
        }
    }

    private static string Cli(int port, params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static int FreeClusterPort()
    {
        while (true)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port + 10000 > 65535)
            {
                continue;
            }

            try
            {
                using var bus = new TcpListener(IPAddress.Loopback, port + 10000);
                bus.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
