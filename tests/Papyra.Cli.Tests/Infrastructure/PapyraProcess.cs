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

    public static string AppHost { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "papyra.exe" : "papyra");

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args)
        => RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(AppHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
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

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {AppHost}.");
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
}
