using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void A_url_sets_host_port_database_credentials_and_tls()
    {
        RedisStreamsOptions options = RedisStreamsOptions.FromUrl("rediss://alice:s%40cret@cache.example:6380/3");

        Assert.Equal("cache.example", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.Equal(3, options.Database);
        Assert.True(options.UseTls);
        Assert.Equal("alice", options.User);
        Assert.Equal("s@cret", options.Password);
    }

    [Fact]
    public void A_url_with_only_a_password_and_no_port_or_database_takes_the_defaults()
    {
        RedisStreamsOptions options = RedisStreamsOptions.FromUrl("redis://:hunter2@localhost");

        Assert.Equal(6379, options.Port);
        Assert.Equal(0, options.Database);
        Assert.False(options.UseTls);
        Assert.Null(options.User);
        Assert.Equal("hunter2", options.Password);
    }

    [Fact]
    public void Printing_options_never_shows_the_password()
    {
        RedisStreamsOptions options = RedisStreamsOptions.FromUrl("redis://:hunter2@localhost:6379/1") with { SystemId = "billing" };

        Assert.Equal("redis://:***@localhost:6379/1", options.RedactedUrl);
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("system=billing", options.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://:hunter2@localhost", "scheme")]
    [InlineData("redis://:hunter2@localhost:6379/x", "database")]
    [InlineData("redis://:hunter2@localhost:6379/-1", "database")]
    [InlineData("redis://:hunter2@localhost/0?timeout=1", "query")]
    [InlineData("not a url hunter2", "not a URL")]
    [InlineData("", "empty")]
    public void A_malformed_url_is_rejected_naming_the_problem_without_the_password(string url, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => RedisStreamsOptions.FromUrl(url));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message.Replace("not a url hunter2", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad:id")]
    [InlineData("")]
    [InlineData("with space")]
    public void An_invalid_system_id_is_rejected(string systemId)
    {
        var options = new RedisStreamsOptions { SystemId = systemId };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("system id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_are_rejected_by_name()
    {
        Assert.Contains("KeyPrefix", Assert.Throws<ArgumentException>(new RedisStreamsOptions { KeyPrefix = "a b" }.Validate).ParamName, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ReadPageSize", Assert.Throws<ArgumentException>(new RedisStreamsOptions { ReadPageSize = 0 }.Validate).ParamName);
        Assert.Equal("OperationTimeout", Assert.Throws<ArgumentException>(new RedisStreamsOptions { OperationTimeout = TimeSpan.Zero }.Validate).ParamName);
        Assert.Equal("Port", Assert.Throws<ArgumentException>(new RedisStreamsOptions { Port = 0 }.Validate).ParamName);
    }

    [Fact]
    public void Keys_follow_the_documented_layout()
    {
        var keys = new RedisStreamKeys("papyra", "local");

        Assert.Equal("papyra:local:records", keys.Records);
        Assert.Equal("papyra:local:quarantine", keys.Quarantine);
        Assert.Equal("papyra:local:metrics", keys.Metrics);
        Assert.Equal("papyra:local:dlq:shipper", keys.DeadLetters("shipper"));
        Assert.Equal("papyra:local:quarantine:1700000000000", keys.QuarantinedStream(1_700_000_000_000));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_such_not_as_an_unreachable_server_and_is_never_shown()
    {
        await using RedisServer server = await RedisServer.StartAsync(password: "the-right-one");
        RedisStreamsOptions options = server.Options() with { Password = "hunter2" };

        var error = await Assert.ThrowsAsync<IOException>(() => RedisStreamsPersistenceBackend.ConnectAsync(options));

        Assert.Contains("password is wrong", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("the-right-one", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_server_that_is_not_there_fails_with_an_io_error_that_hides_the_password()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        RedisStreamsOptions options = server.Options() with { Password = "hunter2", ConnectTimeout = TimeSpan.FromMilliseconds(500) };
        await server.KillAsync();

        var error = await Assert.ThrowsAsync<IOException>(() => RedisStreamsPersistenceBackend.ConnectAsync(options));

        Assert.Contains($"127.0.0.1:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }
}
