using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary><c>papyra inspect dead-letters</c>: lists stored dead letters with filters.</summary>
internal sealed class InspectDeadLettersCommand : AsyncCommand<InspectDeadLettersCommand.Settings>
{
    public const string Description = "List dead letters: messages that could not be processed, oldest first (newest first with --reverse; --follow keeps printing new ones). Damaged lines are skipped and counted.";

    /// <summary>The store, retention and filters.</summary>
    public sealed class Settings : InspectFilterSettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => RecordLister.ListAsync(settings, PersistedRecordKind.DeadLetter, cancellationToken);
}
