using System.Diagnostics;

namespace Papyra.TestSupport;

/// <summary>
/// Runs a program (dotnet, git, bash) as a child of the test host, without the host's MSBuild and
/// test-platform environment (a child build must not inherit it), and returns its exit code and
/// combined output. A run past its timeout is killed and reported.
/// </summary>
internal static class ChildProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>dotnet</c> with exactly <paramref name="arguments"/>.</summary>
    public static Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
        => RunAsync("dotnet", workingDirectory, DefaultTimeout, arguments);

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
