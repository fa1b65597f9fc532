using System.Diagnostics;
using System.Text;

namespace Papyra.Cli.Tests.Infrastructure;

/// <summary>Runs a command on a pseudo-terminal through util-linux <c>script</c>, as an operator's shell would.</summary>
internal static class ScriptProcess
{
    // .NET switches the terminal's keypad mode when it initialises a console on a terminal; that is
    // terminal setup, not output, and is removed before the output is checked.
    private const string KeypadTransmit = "\u001b[?1h\u001b=";

    public static async Task<CliResult> RunOnTerminalAsync(string workingDirectory, string program, params string[] args)
    {
        string command = string.Join(' ', new[] { program }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (string arg in (string[])["-qec", command, "/dev/null"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm-256color";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start script(1).");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        string output = (await stdout).Replace(KeypadTransmit, string.Empty, StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal);
        return new CliResult(process.ExitCode, output, await stderr);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
