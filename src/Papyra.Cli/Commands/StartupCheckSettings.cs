using System.ComponentModel;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands;

/// <summary>The options of the commands that run the startup check: <c>doctor run</c> and <c>persistence startup-check</c>.</summary>
internal class StartupCheckSettings : StoreSettings
{
    [CommandOption("--mode <MODE>")]
    [Description("What to do with anomalies: fail_on_anomaly, ignore (report only) or recover.")]
    [DefaultValue("fail_on_anomaly")]
    public string Mode { get; set; } = "fail_on_anomaly";

    [CommandOption("--recovery-mode <MODE>")]
    [Description("How --mode recover recovers: repair, quarantine (needs --quarantine-dir, except with redis) or ignore.")]
    [DefaultValue("repair")]
    public string RecoveryMode { get; set; } = "repair";

    [CommandOption("--quarantine-dir <DIR>")]
    [Description("Where --recovery-mode quarantine moves the damaged store. Required for quarantine of a file store; not used by redis, which renames the stream inside Redis.")]
    public string? QuarantineDir { get; set; }

    /// <summary>Parses the modes for the resolved backend; fails with a usage error before anything is read.</summary>
    public PersistenceStartupConfig ToStartupConfig(string backend) => new(
        ModeOptions.StartupMode("--mode", Mode),
        ModeOptions.RecoveryConfig("--recovery-mode", RecoveryMode, QuarantineDir, backend));
}
