using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Papyra.Persistence;

namespace Papyra.Hosting.Tests.OptionsBinding;

public sealed class PapyraOptionsBindingTests
{
    private static PapyraOptions Bind(Dictionary<string, string?> values, Action<PapyraOptions>? configure = null)
    {
        ServiceCollection services = new();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddPapyra(configure);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PapyraOptions>>().Value;
    }

    [Fact]
    public void Every_setting_binds_from_the_Papyra_configuration_section()
    {
        PapyraOptions options = Bind(new()
        {
            ["Papyra:SystemId"] = "orders",
            ["Papyra:Backend"] = "json",
            ["Papyra:Path"] = "data/store.ndjson",
            ["Papyra:Durability"] = "Flush",
            ["Papyra:Retention:MaxRecords"] = "1000",
            ["Papyra:Retention:MaxAgeSeconds"] = "3600.5",
            ["Papyra:Retention:MaxTotalBytes"] = "1048576",
            ["Papyra:Startup:Mode"] = "FailOnAnomaly",
            ["Papyra:Startup:RecoveryMode"] = "Quarantine",
            ["Papyra:Startup:QuarantineDirectory"] = "quarantine",
            ["Papyra:Endpoints:EnableMutatingEndpoints"] = "true",
            ["Papyra:Endpoints:AuthorizationPolicy"] = "PapyraAdmin",
            ["Papyra:Rotation:MaxBytes"] = "4096",
            ["Papyra:Rotation:MaxFiles"] = "3",
        });

        Assert.Equal("orders", options.SystemId);
        Assert.Equal("json", options.Backend);
        Assert.Equal("data/store.ndjson", options.Path);
        Assert.Equal(PersistenceDurability.Flush, options.Durability);
        Assert.Equal(new RetentionPolicy(1000, 3600.5, 1048576), options.Retention.ToPolicy());
        Assert.Equal(
            new PersistenceStartupConfig(PersistenceStartupMode.FailOnAnomaly, new PersistenceRecoveryConfig(PersistenceRecoveryMode.Quarantine, "quarantine")),
            options.Startup.ToConfig());
        Assert.True(options.Endpoints.EnableMutatingEndpoints);
        Assert.Equal("PapyraAdmin", options.Endpoints.AuthorizationPolicy);
        Assert.Equal((4096L, 3), (options.Rotation.MaxBytes, options.Rotation.MaxFiles));
    }

    [Fact]
    public void Defaults_are_memory_backend_fsync_durability_unlimited_retention_and_ignore_mode()
    {
        PapyraOptions options = Bind([]);

        Assert.Equal("local", options.SystemId);
        Assert.Equal("Memory", options.Backend);
        Assert.Equal(PersistenceDurability.Fsync, options.Durability);
        Assert.True(options.Retention.ToPolicy().IsUnlimited);
        Assert.Equal(PersistenceStartupMode.Ignore, options.Startup.Mode);
        Assert.False(options.Endpoints.EnableMutatingEndpoints);
    }

    [Fact]
    public void The_AddPapyra_delegate_runs_after_configuration_binding_and_wins()
    {
        PapyraOptions options = Bind(new() { ["Papyra:SystemId"] = "from-config", ["Papyra:Startup:Mode"] = "Recover" }, o => o.SystemId = "from-code");

        Assert.Equal("from-code", options.SystemId);
        Assert.Equal(PersistenceStartupMode.Recover, options.Startup.Mode);
    }

    [Theory]
    [InlineData("Papyra:Retention:MaxRecords", "0", "Papyra:Retention:MaxRecords 0 is invalid")]
    [InlineData("Papyra:Retention:MaxAgeSeconds", "-5", "Papyra:Retention:MaxAgeSeconds -5 is invalid")]
    [InlineData("Papyra:Retention:MaxTotalBytes", "-1", "Papyra:Retention:MaxTotalBytes -1 is invalid")]
    [InlineData("Papyra:SystemId", "bad id!", "Papyra:SystemId 'bad id!' is invalid")]
    [InlineData("Papyra:Backend", "Json", "Papyra:Path is required when Papyra:Backend is Json")]
    [InlineData("Papyra:Endpoints:EnableMutatingEndpoints", "true", "AuthorizationPolicy names no policy")]
    [InlineData("Papyra:Rotation:MaxFiles", "0", "Papyra:Rotation:MaxFiles 0 is invalid")]
    [InlineData("Papyra:Rotation:MaxBytes", "-10", "Papyra:Rotation:MaxBytes -10 is invalid")]
    public void Invalid_settings_fail_validation_with_a_message_naming_the_setting_and_value(string key, string value, string expected)
    {
        Dictionary<string, string?> values = new() { [key] = value };
        if (key.StartsWith("Papyra:Rotation:", StringComparison.Ordinal))
        {
            values["Papyra:Backend"] = "Rotating";
            values["Papyra:Path"] = "store.ndjson";
        }

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => Bind(values));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
