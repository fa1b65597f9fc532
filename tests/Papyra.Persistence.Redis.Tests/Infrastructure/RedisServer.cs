using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Papyra.Persistence.Redis;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server started by the test run on a free 127.0.0.1 port, in its own temporary
/// directory, never the system one on 6379. It can be killed with SIGKILL and restarted on the same
/// port with the same data directory (for the fault tests).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly bool _appendOnly;
    private readonly string? _password;
    private readonly TestCertificates? _tls;
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string directory, bool appendOnly, string? password, TestCertificates? tls, string[]? extraArguments = null)
    {
        _extraArguments = extraArguments ?? [];
        Port = port;
        Directory = directory;
        _appendOnly = appendOnly;
        _password = password;
        _tls = tls;
    }

    public int Port { get; }

    public string Directory { get; }

    public string Url => $"{(_tls is null ? "redis" : "rediss")}://{(_password is null ? string.Empty : $":{Uri.EscapeDataString(_password)}@")}127.0.0.1:{Port}/0";

    /// <summary>Starts a server; with <paramref name="appendOnly"/> every write is fsynced to the AOF before it is acknowledged.</summary>
    public static Task<RedisServer> StartAsync(bool appendOnly = false, string? password = null) => StartAsync(appendOnly, password, tls: null);

    /// <summary>Starts a server that accepts only TLS connections, with a certificate <paramref name="tls"/>'s CA signed for 127.0.0.1.</summary>
    public static Task<RedisServer> StartTlsAsync(TestCertificates tls) => StartAsync(appendOnly: false, password: null, tls);

    /// <summary>Starts a node of a Redis Cluster (<c>--cluster-enabled yes</c>), not yet part of one.</summary>
    public static Task<RedisServer> StartClusterNodeAsync(bool appendOnly) => StartAsync(
        appendOnly,
        password: null,
        tls: null,
        ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0", "--repl-ping-replica-period", "1"]);

    /// <summary>The process id while running.</summary>
    public int? ProcessId => _process?.Id;

    private static async Task<RedisServer> StartAsync(bool appendOnly, string? password, TestCertificates? tls, string[]? extraArguments = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "papyra-redis-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        for (int attempt = 0; ; attempt++)
        {
            var server = new RedisServer(extraArguments is null ? FreePort() : FreeClusterPort(), directory, appendOnly, password, tls, extraArguments);
            try
            {
                await server.LaunchAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process took the port between probing and binding: try another.
                await server.StopProcessAsync();
            }
        }
    }

    /// <summary>A unique key prefix, so tests sharing one server never see each other's keys.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public RedisStreamsOptions Options(string systemId = "local", string? prefix = null) =>
        RedisStreamsOptions.FromUrl(Url) with
        {
            SystemId = systemId,
            KeyPrefix = prefix ?? UniquePrefix(),
            MetricsPublishInterval = null,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            OperationTimeout = TimeSpan.FromSeconds(2),
            ReconnectInterval = TimeSpan.FromMilliseconds(200),
        };

    /// <summary>SIGKILL: no shutdown save, no goodbye to clients.</summary>
    public async Task KillAsync()
    {
        Process process = _process ?? throw new InvalidOperationException("The server is not running.");
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port with the same data directory.</summary>
    public Task RestartAsync() => LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp directory is not the test's subject.
        }
    }

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(FindBinary())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        string port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] listen = _tls is null
            ? ["--port", port]
            : ["--port", "0", "--tls-port", port, "--tls-cert-file", _tls.ServerCertificatePath, "--tls-key-file", _tls.ServerKeyPath, "--tls-ca-cert-file", _tls.CaCertificatePath, "--tls-auth-clients", "no"];
        foreach (string argument in listen.Concat(new[]
        {
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", _appendOnly ? "yes" : "no",
            "--appendfsync", "always",
            "--dir", Directory,
            "--daemonize", "no",
            "--protected-mode", "no",
            "--logfile", string.Empty,
        }).Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        if (_password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(_password);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {Port}: {output}");
            }

            if (await PingsAsync())
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new InvalidOperationException($"redis-server did not answer PING on port {Port} within {StartTimeout}: {output}");
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            Stream stream = client.GetStream();
            if (_tls is not null)
            {
                // Only "is it up": the client under test is what checks the certificate.
                var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync("127.0.0.1").WaitAsync(TimeSpan.FromSeconds(2));
                stream = tls;
            }

            await stream.WriteAsync("PING\r\n"u8.ToArray());
            byte[] buffer = new byte[64];
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            string reply = Encoding.ASCII.GetString(buffer, 0, read);

            // With a password, an unauthenticated PING is refused with NOAUTH: the server is up all the same.
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
            _process = null;
        }
    }

    /// <summary>A free port whose cluster bus port (port + 10000) is free as well.</summary>
    private static int FreeClusterPort()
    {
        while (true)
        {
            int port = FreePort();
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
                // Taken: probe another.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinary() => FindBinary("redis-server");

    internal static string FindBinary(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} is not installed (apt-get install -y redis-server; .ci/run installs it).");
    }
}
