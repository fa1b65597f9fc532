using System.ComponentModel;
using Papyra.Cli.Commands.Metrics;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence recover</c>: repairs or quarantines a damaged store, then verifies it.</summary>
internal sealed class PersistenceRecoverCommand : AsyncCommand<PersistenceRecoverCommand.Settings>
{
    public const string Description = "Recover a damaged store (repair, quarantine or ignore), then verify it. Exits 3 when anomalies remain.";

    /// <summary>The recovery mode and where quarantined files go.</summary>
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--mode <MODE>")]
        [Description("ignore (report only), repair (keep every valid line, move rejected lines to a sidecar) or quarantine (move the store aside; needs --quarantine-dir).")]
        [DefaultValue("repair")]
        public string Mode { get; set; } = "repair";

        [CommandOption("--quarantine-dir <DIR>")]
        [Description("Where --mode quarantine moves the damaged store. Required for quarantine.")]
        public string? QuarantineDir { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        PersistenceRecoveryConfig config = ModeOptions.RecoveryConfig("--mode", settings.Mode, settings.QuarantineDir);
        PersistenceBackendSettings store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        RunningSystemGuard.WarnIfLive(store, output, "recovering");
        await using IPersistenceBackend backend = PersistenceBackendFactory.Create(store);
        if (backend is not IPersistenceRecoverer recoverer)
        {
            throw new CliUsageException($"The {backend.Name} backend does not support recovery.");
        }

        PersistenceRecoveryReport report = await output
            .WithProgressAsync("Recovering", ct => recoverer.RecoverAsync(config, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        HealthRenderer.Recovery(output, StoreView.Of(store), report);
        return report.IsClean ? PapyraExitCodes.Success : PapyraExitCodes.RecoveryIncomplete;
    }
}
