using System.ComponentModel;
using Papyra.Cli.Commands.Metrics;
using Papyra.Cli.Errors;
using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
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
        [Description("ignore (report only), repair (keep every valid line, move rejected lines to a sidecar; redis: move damaged entries to the quarantine stream) or quarantine (move the store aside; needs --quarantine-dir, except with redis, which renames the stream inside Redis).")]
        [DefaultValue("repair")]
        public string Mode { get; set; } = "repair";

        [CommandOption("--quarantine-dir <DIR>")]
        [Description("Where --mode quarantine moves the damaged store. Required for quarantine of a file store; not used by redis.")]
        public string? QuarantineDir { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        PersistenceRecoveryConfig config = ModeOptions.RecoveryConfig("--mode", settings.Mode, settings.QuarantineDir, store.Backend);
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        await RunningSystemGuard.WarnIfLiveAsync(opened, output, "recovering", cancellationToken).ConfigureAwait(false);
        if (backend is not IPersistenceRecoverer recoverer)
        {
            throw new CliUsageException($"The {backend.Name} backend does not support recovery.");
        }

        PersistenceRecoveryReport report = await output
            .WithProgressAsync("Recovering", ct => recoverer.RecoverAsync(config, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        HealthRenderer.Recovery(output, opened.View, report);
        return report.IsClean ? PapyraExitCodes.Success : PapyraExitCodes.RecoveryIncomplete;
    }
}
