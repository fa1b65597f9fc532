using Papyra.Cli.Rendering;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary><c>papyra inspect summary</c>: record counts and the latest audit.</summary>
internal sealed class InspectSummaryCommand : AsyncCommand<InspectSummaryCommand.Settings>
{
    public const string Description = "Summarise a store: events, audits and dead letters after retention, and the latest audit.";

    /// <summary>The store and retention.</summary>
    public sealed class Settings : RetentionStoreSettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => StoreCounter.OpenCountAndRenderAsync(settings, (output, opened, counts) => StoreRenderer.Summary(output, opened.View, counts), cancellationToken);
}
