using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class SecretRedactionTests
{
    private const string Password = "hunter2-s3cr3t";

    [Theory]
    [InlineData("--json")]
    [InlineData("--verbose")]
    public async Task An_unreachable_redis_is_an_io_error_that_never_prints_the_password(string flag)
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "redis", "--redis-url", $"redis://ops:{Password}@127.0.0.1:1/0", flag);

        CliAssert.ExitCode(74, result);
        Assert.Contains("Redis at redis://ops:***@127.0.0.1:1/0 is unreachable", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_redis_url_is_reported_redacted()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--backend", "redis", "--redis-url", $"http://ops:{Password}@cache", "--verbose");

        CliAssert.ExitCode(64, result);
        Assert.Contains("Invalid Redis URL 'http://ops:***@cache'", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redis_url_from_the_environment_is_never_printed()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(
            dir.Root,
            new Dictionary<string, string> { ["PAPYRA_BACKEND"] = "redis", ["PAPYRA_REDIS_URL"] = $"redis://:{Password}@127.0.0.1:1" },
            "metrics", "persistence", "--verbose");

        CliAssert.ExitCode(74, result);
        Assert.DoesNotContain(Password, result.AllOutput, StringComparison.Ordinal);
    }
}
