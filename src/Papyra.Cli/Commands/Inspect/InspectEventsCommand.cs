using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary><c>papyra inspect events</c>: lists stored events with filters.</summary>
internal sealed class InspectEventsCommand : AsyncCommand<InspectEventsCommand.Settings>
{
    public const string Description = "List lifecycle events (ActorStarted, ActorCrashed, ActorRestarted, ActorStopped), oldest first (newest first with --reverse; --follow keeps printing new ones). Damaged lines are skipped and counted.";

    /// <summary>The store, retention and filters.</summary>
    public sealed class Settings : InspectFilterSettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => RecordLister.ListAsync(settings, PersistedRecordKind.Event, cancellationToken);
}
