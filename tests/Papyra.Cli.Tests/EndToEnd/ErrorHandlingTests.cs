using Papyra.Cli.Errors;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task An_unknown_option_exits_64_with_one_sentence_and_no_stack_trace()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--colour");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "colour");
    }

    [Fact]
    public async Task An_unknown_command_exits_64()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "vacuum");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "vacuum");
    }

    [Theory]
    [InlineData("persistence", "scan", "--path")]
    [InlineData("persistence", "scan", "--path", "--json")]
    [InlineData("doctor", "run", "--backend", "memory", "--mode")]
    public async Task A_missing_option_value_exits_64(params string[] args)
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, args);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "needs a value");
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task An_io_error_shows_the_stack_trace_only_with_verbose()
    {
        using var dir = new StoreDirectory();

        CliResult quiet = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Root);
        CliResult verbose = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Root, "--verbose");

        CliAssert.ExitCode(74, quiet);
        CliAssert.NoStackTrace(quiet);
        CliAssert.ExitCode(74, verbose);
        Assert.Contains("   at ", verbose.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_failure_exits_70_with_a_short_message_and_detail_only_with_verbose()
    {
        using var quietError = new StringWriter();
        using var verboseError = new StringWriter();
        static Task<int> Crash() => throw new InvalidOperationException("the registry is inconsistent");

        int quiet = await ErrorBoundary.RunAsync(Crash, ["persistence", "scan"], quietError);
        int verbose = await ErrorBoundary.RunAsync(Crash, ["persistence", "scan", "--verbose"], verboseError);

        Assert.Equal(70, quiet);
        Assert.Equal(70, verbose);
        Assert.Equal(
            "papyra: error: Unexpected internal error (InvalidOperationException): the registry is inconsistent Run again with --verbose for details.",
            quietError.ToString().TrimEnd());
        Assert.Contains("   at ", verboseError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_groups()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "--help");

        CliAssert.ExitCode(0, result);
        foreach (string group in (string[])["doctor", "persistence", "inspect", "metrics"])
        {
            Assert.Contains(group, result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_group_without_a_command_shows_its_help_and_exits_0()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence");

        CliAssert.ExitCode(0, result);
        Assert.Contains("startup-check", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_on_a_terminal_has_no_progress_display_or_colour()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        // script(1) gives the process a pseudo-terminal, as an operator's shell would.
        CliResult result = await ScriptProcess.RunOnTerminalAsync(dir.Root, PapyraProcess.AppHost, "persistence", "scan", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        Assert.DoesNotContain("\u001b[", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(result.Json().GetProperty("healthy").GetBoolean());
    }
}
