using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Docs.Tests.Infrastructure;

namespace Papyra.Docs.Tests;

/// <summary>
/// Every <c>papyra</c> command in a <c>sh</c> block of the guide runs, as written, with the real tool in a
/// directory holding a store a real actor system wrote (<c>events.ndjson</c>): it exits 0 (or the code a
/// trailing <c># exit N</c> names), and with <c>--json</c> it prints JSON (one document, or one per line when
/// it follows the store).
/// </summary>
public sealed partial class CliExampleTests
{
    public static TheoryData<string> ShellBlocks => GuideDocument.Named("sh");

    [Theory]
    [MemberData(nameof(ShellBlocks))]
    public async Task Every_papyra_command_of_a_shell_block_runs_as_documented(string block)
    {
        CodeBlock code = GuideDocument.Find(block);
        string[] commands = [.. Commands(code.Text)];
        Assert.True(commands.Length > 0, $"{code}: a sh block of the guide must show at least one papyra command.");

        using SampleStore store = await SampleStore.CreateAsync();
        foreach (string command in commands)
        {
            (string[] args, int expectedExit) = Parse(command);
            if (args.Contains("--follow"))
            {
                await FollowBrieflyAsync(code, store.Directory, args);
                continue;
            }

            CliResult result = await PapyraProcess.RunAsync(store.Directory, args);
            Assert.True(result.ExitCode == expectedExit, $"{code}: `{command}` exited {result.ExitCode}, expected {expectedExit}.\n{result}");
            if (args.Contains("--json"))
            {
                result.Json();
            }
        }
    }

    /// <summary>The papyra commands of a block: continuation lines joined, comments and other programs left out.</summary>
    internal static IEnumerable<string> Commands(string text)
    {
        string joined = text.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (string line in joined.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("papyra ", StringComparison.Ordinal))
            {
                yield return trimmed;
            }
        }
    }

    private static (string[] Args, int ExpectedExit) Parse(string command)
    {
        int expected = 0;
        Match exit = ExitComment().Match(command);
        if (exit.Success)
        {
            expected = int.Parse(exit.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        string withoutComment = command.Split(" #", 2)[0];
        var args = new List<string>();
        foreach (Match word in Word().Matches(withoutComment))
        {
            args.Add(word.Groups["quoted"].Success ? word.Groups["quoted"].Value : word.Value);
        }

        return ([.. args.Skip(1)], expected);
    }

    /// <summary>A followed listing never ends by itself: read what it prints of the existing store, then stop it.</summary>
    private static async Task FollowBrieflyAsync(CodeBlock code, string directory, string[] args)
    {
        using Process process = PapyraProcess.Start(directory, args);
        var lines = new List<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (lines.Count < 3 && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        Assert.True(lines.Count == 3, $"{code}: `papyra {string.Join(' ', args)}` printed {lines.Count} lines before stopping: {await process.StandardError.ReadToEndAsync()}");
        if (args.Contains("--json"))
        {
            foreach (string line in lines)
            {
                using JsonDocument _ = JsonDocument.Parse(line);
            }
        }
    }

    [GeneratedRegex(@"#\s*exit\s+(?<code>\d+)\s*$")]
    private static partial Regex ExitComment();

    [GeneratedRegex(@"'(?<quoted>[^']*)'|\S+")]
    private static partial Regex Word();
}
