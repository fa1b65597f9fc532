using Papyra.Cli.Rendering;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Doctor;

/// <summary><c>papyra doctor run</c>: the startup check an actor system would run, with doctor exit codes.</summary>
internal sealed class DoctorRunCommand : AsyncCommand<DoctorRunCommand.Settings>
{
    public const string Description = "Check a store the way an actor system does at startup. Exits 1 when anomalies are found in fail_on_anomaly mode, 2 when they remain after recovery.";

    /// <summary>The startup mode, the recovery mode and the quarantine directory.</summary>
    public sealed class Settings : StartupCheckSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => await StartupCheckRunner.RunAsync(settings, cancellationToken).ConfigureAwait(false) switch
        {
            StartupCheckOutcome.AnomaliesFound => PapyraExitCodes.AnomaliesFoundFailMode,
            StartupCheckOutcome.RecoveryIncomplete => PapyraExitCodes.AnomaliesFound,
            _ => PapyraExitCodes.Success,
        };
}
