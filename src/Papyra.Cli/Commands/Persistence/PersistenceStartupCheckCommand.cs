using Papyra.Cli.Rendering;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence startup-check</c>: the startup check with the exit codes an init container branches on.</summary>
internal sealed class PersistenceStartupCheckCommand : AsyncCommand<PersistenceStartupCheckCommand.Settings>
{
    public const string Description = "Run the persistence startup check. Exits 4 when it fails in fail_on_anomaly mode, 5 when recover mode cannot make the store clean.";

    /// <summary>The startup mode, the recovery mode and the quarantine directory.</summary>
    public sealed class Settings : StartupCheckSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => await StartupCheckRunner.RunAsync(settings, cancellationToken).ConfigureAwait(false) switch
        {
            StartupCheckOutcome.AnomaliesFound => PapyraExitCodes.StartupCheckFailed,
            StartupCheckOutcome.RecoveryIncomplete => PapyraExitCodes.StartupRecoveryFailed,
            _ => PapyraExitCodes.Success,
        };
}
