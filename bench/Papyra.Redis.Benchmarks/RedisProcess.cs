using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Papyra.Redis.Benchmarks;

/// <summary>A private redis-server on a free port (no persistence), started and killed by the benchmark.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisProcess(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public static RedisProcess Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        string directory = Path.Combine(Path.GetTempPath(), "papyra-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (string argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", directory, "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new RedisProcess(process, port, directory);
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }

        process.Kill();
        throw new InvalidOperationException("redis-server did not accept connections within 20 s");
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
