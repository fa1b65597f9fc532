using System.Diagnostics;
using System.Text;

namespace Papyra.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the real, built <c>papyra</c> binary as a separate process (the apphost copied next to
/// the tests), with a clean environment: no inherited <c>PAPYRA_*</c> variables.
/// </summary>
internal static class PapyraProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The papyra executable: the apphost beside the tests, unless a test project points elsewhere.</summary>
    public static string AppHost { get; set; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "papyra.exe" : "papyra");

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args)
        => RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
        => RunAsync(new ProcessStartInfo(AppHost), workingDirectory, environment, args);

    /// <summary>
    /// Runs papyra as an unprivileged user, so file permissions apply even when the tests run as
    /// root (as CI does): through <c>setpriv</c> as <c>nobody</c>, from a world-readable copy of the binaries.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static Task<CliResult> RunUnprivilegedAsync(string workingDirectory, params string[] args)
    {
        if (Environment.UserName != "root")
        {
            return RunAsync(workingDirectory, args);
        }

        var start = new ProcessStartInfo("setpriv");
        foreach (string arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", UnprivilegedCopy ??= CopyBinariesForEveryone()])
        {
            start.ArgumentList.Add(arg);
        }

        return RunAsync(start, workingDirectory, new Dictionary<string, string>(), args);
    }

    private static string? UnprivilegedCopy;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string CopyBinariesForEveryone()
    {
        string directory = Path.Combine(Path.GetTempPath(), "papyra-cli-tests", "unprivileged-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            string name = Path.GetFileName(file);
            // Every assembly papyra.deps.json names must be there (the Redis client and its dependencies too),
            // or the host refuses to start; the test assemblies beside them are harmless.
            if (name.StartsWith("papyra", StringComparison.Ordinal) || name.EndsWith(".dll", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(directory, name));
            }
        }

        const UnixFileMode ReadExecute = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(directory, ReadExecute);
        File.SetUnixFileMode(Path.Combine(directory, "papyra"), ReadExecute);
        return Path.Combine(directory, "papyra");
    }

    /// <summary>Starts papyra and leaves it running (for --follow): the caller reads its output and ends it.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        ProcessStartInfo start = Prepare(new ProcessStartInfo(AppHost), workingDirectory, new Dictionary<string, string>(), args);
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {AppHost}.");
        process.StandardInput.Close();
        return process;
    }

    private static async Task<CliResult> RunAsync(ProcessStartInfo start, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        using Process process = Process.Start(Prepare(start, workingDirectory, environment, args)) ?? throw new InvalidOperationException($"Could not start {AppHost}.");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"papyra {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo Prepare(ProcessStartInfo start, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("PAPYRA_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
