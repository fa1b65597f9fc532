namespace Papyra.Cli.Tests.Infrastructure;

/// <summary>Assertions every end-to-end test shares.</summary>
internal static class CliAssert
{
    public static void ExitCode(int expected, CliResult result)
    {
        if (result.ExitCode != expected)
        {
            throw new Xunit.Sdk.XunitException($"Expected exit code {expected}, got {result}");
        }
    }

    /// <summary>No stack trace reaches the user: no "   at " frames, no exception type dumps.</summary>
    public static void NoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", result.AllOutput, StringComparison.Ordinal);
    }

    /// <summary>An error is one sentence on stderr, nothing on stdout, no stack trace.</summary>
    public static void OneSentenceError(CliResult result, string expectedFragment)
    {
        NoStackTrace(result);
        Assert.Equal(string.Empty, result.StandardOutput);
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"Expected one error line, got:{Environment.NewLine}{result.StandardError}");
        Assert.StartsWith("papyra: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedFragment, lines[0], StringComparison.Ordinal);
    }
}
