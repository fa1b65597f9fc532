using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary><c>papyra inspect audits</c>: lists stored audits with filters.</summary>
internal sealed class InspectAuditsCommand : AsyncCommand<InspectAuditsCommand.Settings>
{
    public const string Description = "List audit snapshots of the actor registry, oldest first (newest first with --reverse; --follow keeps printing new ones). Damaged lines are skipped and counted.";

    /// <summary>The store, retention and filters.</summary>
    public sealed class Settings : InspectQuerySettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => RecordLister.ListAsync(settings, PersistedRecordKind.Audit, cancellationToken);
}
