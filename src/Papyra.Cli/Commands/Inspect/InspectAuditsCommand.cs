using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary><c>papyra inspect audits</c>: lists stored audits with filters.</summary>
internal sealed class InspectAuditsCommand : AsyncCommand<InspectAuditsCommand.Settings>
{
    public const string Description = "List audit snapshots of the actor registry, oldest first. Damaged lines are skipped and counted.";

    /// <summary>The store, retention and filters.</summary>
    public sealed class Settings : InspectQuerySettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => RecordLister.ListAsync<PersistedAudit>(settings, static (backend, query, ct) => backend.ReadAuditsAsync(query, ct), cancellationToken);
}
