using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary><c>papyra inspect events</c>: lists stored events with filters.</summary>
internal sealed class InspectEventsCommand : AsyncCommand<InspectEventsCommand.Settings>
{
    public const string Description = "List lifecycle events (ActorStarted, ActorCrashed, ActorRestarted, ActorStopped), oldest first. Damaged lines are skipped and counted.";

    /// <summary>The store, retention and filters.</summary>
    public sealed class Settings : InspectFilterSettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => RecordLister.ListAsync<PersistedEvent>(settings, static (backend, query, ct) => backend.ReadEventsAsync(query, ct), cancellationToken);
}
