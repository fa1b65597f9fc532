using Papyra.Persistence.Configuration;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>The <c>redis</c> provider's settings: what it reads from the provider options, and its errors, which never show a password.</summary>
public sealed class BackendProviderTests
{
    private static readonly PersistenceBackendProviders Providers = PersistenceBackendProviders.BuiltIn.With(new RedisStreamsBackendProvider());

    private static PersistenceBackendSettings Redis(params (string Key, string Value)[] options) => new("Redis")
    {
        Options = options.ToDictionary(o => o.Key, o => o.Value),
    };

    [Fact]
    public void The_options_set_the_server_system_prefix_and_tool_mode()
    {
        RedisStreamsOptions options = RedisStreamsBackendProvider.ToOptions(
            Redis(("URL", "redis://u:hunter2@cache:6380/2"), ("system_id", "orders"), ("key_prefix", "acme"), ("scan_sample_size", "0")) with { PublishMetrics = false });

        Assert.Equal(("cache", 6380, 2), (options.Host, options.Port, options.Database));
        Assert.Equal(("orders", "acme", 0), (options.SystemId, options.KeyPrefix, options.ScanSampleSize));
        Assert.Null(options.MetricsPublishInterval);
        Assert.Equal(new PersistenceStoreLocation("acme:orders:records", "redis://u:***@cache:6380/2"), Providers.Locate(Redis(("url", "redis://u:hunter2@cache:6380/2"), ("system_id", "orders"), ("key_prefix", "acme"))));
    }

    [Fact]
    public void The_key_layout_option_selects_hash_tagged_keys_and_rejects_unknown_names()
    {
        Assert.Equal(RedisKeyLayout.HashTagged, RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"), ("key_layout", "hash_tagged"))).KeyLayout);
        Assert.Equal(RedisKeyLayout.HashTagged, RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"), ("key_layout", "HashTagged"))).KeyLayout);
        Assert.Equal(RedisKeyLayout.Legacy, RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"), ("key_layout", "legacy"))).KeyLayout);
        Assert.Equal(RedisKeyLayout.Legacy, RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"))).KeyLayout);
        Assert.Equal("papyra:{orders}:records", Providers.Locate(Redis(("url", "redis://cache"), ("system_id", "orders"), ("key_layout", "hash_tagged"))).Path);
        var error = Assert.Throws<PersistenceConfigurationException>(() => RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"), ("key_layout", "sharded"))));
        Assert.Equal("Invalid redis option key_layout 'sharded': expected legacy or hash_tagged.", error.Message);
    }

    [Fact]
    public void Replicated_durability_options_set_min_replicas_and_the_wait_timeout()
    {
        RedisStreamsOptions options = RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://a:7000,b:7001"), ("min_replicas", "1"), ("replica_ack_timeout_ms", "250")));

        Assert.Equal((1, TimeSpan.FromMilliseconds(250)), (options.MinReplicas, options.ReplicaAckTimeout));
        Assert.Equal(["b:7001"], options.AdditionalEndpoints);
        Assert.Equal(0, RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"))).MinReplicas);
        Assert.Equal("Invalid redis option min_replicas 'two': expected a whole number, 0 or more.", Assert.Throws<PersistenceConfigurationException>(() => RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"), ("min_replicas", "two")))).Message);
        Assert.Equal("ReplicaAckTimeout", Assert.Throws<ArgumentException>(new RedisStreamsOptions { MinReplicas = 1, ReplicaAckTimeout = TimeSpan.FromSeconds(10) }.Validate).ParamName);
    }

    [Fact]
    public void Without_options_the_defaults_apply_and_a_running_system_publishes_metrics()
    {
        RedisStreamsOptions options = RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache")));

        Assert.Equal((RedisStreamsOptions.DefaultSystemId, RedisStreamsOptions.DefaultKeyPrefix), (options.SystemId, options.KeyPrefix));
        Assert.NotNull(options.MetricsPublishInterval);
    }

    [Fact]
    public void A_missing_url_is_a_configuration_error_saying_how_to_give_one()
    {
        var error = Assert.Throws<PersistenceConfigurationException>(() => Providers.Locate(Redis()));

        Assert.StartsWith("The redis backend needs a server URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://u:hunter2@cache")]
    [InlineData("redis://u:hunter2@cache:99999")]
    public void A_bad_url_is_refused_without_echoing_its_password(string url)
    {
        var error = Assert.Throws<PersistenceConfigurationException>(() => RedisStreamsBackendProvider.ToOptions(Redis(("url", url))));

        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_scan_sample_size_names_the_option_and_value()
    {
        var error = Assert.Throws<PersistenceConfigurationException>(() => RedisStreamsBackendProvider.ToOptions(Redis(("url", "redis://cache"), ("scan_sample_size", "many"))));

        Assert.Equal("Invalid redis option scan_sample_size 'many': expected a whole number, 0 or more.", error.Message);
    }
}
