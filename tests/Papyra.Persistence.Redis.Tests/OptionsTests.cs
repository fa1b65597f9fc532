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
    public void A_url_with_several_endpoints_names_the_nodes_of_a_cluster()
    {
        RedisStreamsOptions options = RedisStreamsOptions.FromUrl("redis://u:p%40ss@node1:7000,node2:7001,node3/0");

        Assert.Equal(("node1", 7000, "u", "p@ss"), (options.Host, options.Port, options.User, options.Password));
        Assert.Equal(["node2:7001", "node3:6379"], options.AdditionalEndpoints);
        Assert.Equal("redis://u:***@node1:7000,node2:7001,node3:6379/0", options.RedactedUrl);
        Assert.Equal(options.AdditionalEndpoints, RedisStreamsOptions.FromUrl(options.RedactedUrl.Replace("***", "x", StringComparison.Ordinal)).AdditionalEndpoints);
        Assert.Empty(RedisStreamsOptions.FromUrl("redis://cache:6380/1").AdditionalEndpoints);
        Assert.Equal("redis://cache:6380/1", RedisStreamsOptions.FromUrl("redis://cache:6380/1").RedactedUrl);
        var error = Assert.Throws<ArgumentException>(() => RedisStreamsOptions.FromUrl("redis://:secret@node1:7000,,node2/0"));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not host[:port]", error.Message, StringComparison.Ordinal);
        Assert.Equal("AdditionalEndpoints", Assert.Throws<ArgumentException>(new RedisStreamsOptions { AdditionalEndpoints = ["a:b:c:d"] }.Validate).ParamName);
    }

    [Fact]
    public void Hash_tagged_keys_put_every_key_of_a_system_in_one_slot()
    {
        var keys = new RedisStreamKeys("papyra", "orders", RedisKeyLayout.HashTagged);

        Assert.Equal("papyra:{orders}:records", keys.Records);
        Assert.Equal("papyra:{orders}:quarantine", keys.Quarantine);
        Assert.Equal("papyra:{orders}:metrics", keys.Metrics);
        Assert.Equal("papyra:{orders}:dlq:shipper", keys.DeadLetters("shipper"));
        Assert.Equal("papyra:{orders}:quarantine:1700000000000", keys.QuarantinedStream(1_700_000_000_000));
        int slot = HashSlot(keys.Records);
        Assert.All([keys.Quarantine, keys.Metrics, keys.DeadLetters("g"), keys.QuarantinedStream(5)], k => Assert.Equal(slot, HashSlot(k)));
        Assert.NotEqual(HashSlot(new RedisStreamKeys("papyra", "orders").Records), HashSlot(new RedisStreamKeys("papyra", "orders").Quarantine));
        Assert.Equal(keys, new RedisStreamsOptions { SystemId = "orders", KeyLayout = RedisKeyLayout.HashTagged }.Keys);
        Assert.Equal(RedisKeyLayout.Legacy, new RedisStreamsOptions().KeyLayout);
    }

    [Fact]
    public void A_hash_tagged_prefix_may_not_hold_braces_and_the_layout_must_be_known()
    {
        Assert.Contains("'{'", Assert.Throws<ArgumentException>(() => new RedisStreamKeys("a{b}", "orders", RedisKeyLayout.HashTagged)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(new RedisStreamsOptions { KeyLayout = (RedisKeyLayout)7 }.Validate);
        Assert.Equal("a{b}:orders:records", new RedisStreamKeys("a{b}", "orders").Records);
    }

    /// <summary>The Redis Cluster hash slot: CRC16 (XMODEM) of the first non-empty {tag}, or of the whole key, mod 16384.</summary>
    private static int HashSlot(string key)
    {
        int open = key.IndexOf('{', StringComparison.Ordinal);
        if (open >= 0)
        {
            int close = key.IndexOf('}', open + 1);
            if (close > open + 1)
            {
                key = key[(open + 1)..close];
            }
        }

        ushort crc = 0;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            crc ^= (ushort)(b << 8);
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }
        }

        return crc % 16384;
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
