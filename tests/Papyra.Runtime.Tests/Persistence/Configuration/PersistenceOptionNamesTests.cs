using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Runtime.Tests.Persistence.Configuration;

public sealed class PersistenceOptionNamesTests
{
    [Theory]
    [InlineData("fail_on_anomaly", PersistenceStartupMode.FailOnAnomaly)]
    [InlineData("Fail-On-Anomaly", PersistenceStartupMode.FailOnAnomaly)]
    [InlineData("FAIL_ON-ANOMALY", PersistenceStartupMode.FailOnAnomaly)]
    [InlineData(" recover ", PersistenceStartupMode.Recover)]
    [InlineData("IGNORE", PersistenceStartupMode.Ignore)]
    public void Startup_modes_parse_case_insensitively_with_dashes_and_underscores_equivalent(string text, PersistenceStartupMode expected)
    {
        Assert.True(PersistenceOptionNames.TryParseStartupMode(text, out PersistenceStartupMode mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("scan_only")]
    [InlineData("failonanomaly")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("2")]
    public void Unknown_startup_mode_names_are_rejected(string? text)
    {
        Assert.False(PersistenceOptionNames.TryParseStartupMode(text, out _));
    }

    [Theory]
    [InlineData("Repair", PersistenceRecoveryMode.Repair)]
    [InlineData("quarantine", PersistenceRecoveryMode.Quarantine)]
    [InlineData("ignore", PersistenceRecoveryMode.Ignore)]
    public void Recovery_modes_parse_case_insensitively(string text, PersistenceRecoveryMode expected)
    {
        Assert.True(PersistenceOptionNames.TryParseRecoveryMode(text, out PersistenceRecoveryMode mode));
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void Rebuild_is_not_a_recovery_mode()
    {
        Assert.False(PersistenceOptionNames.TryParseRecoveryMode("rebuild", out _));
    }

    [Fact]
    public void Every_name_round_trips()
    {
        foreach (PersistenceStartupMode mode in Enum.GetValues<PersistenceStartupMode>())
        {
            Assert.True(PersistenceOptionNames.TryParseStartupMode(PersistenceOptionNames.ToName(mode), out PersistenceStartupMode parsed));
            Assert.Equal(mode, parsed);
        }

        foreach (PersistenceRecoveryMode mode in Enum.GetValues<PersistenceRecoveryMode>())
        {
            Assert.True(PersistenceOptionNames.TryParseRecoveryMode(PersistenceOptionNames.ToName(mode), out PersistenceRecoveryMode parsed));
            Assert.Equal(mode, parsed);
        }
    }
}
