using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
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

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        StoreCounts counts = await output
            .WithProgressAsync("Reading", ct => StoreCounter.CountAsync(backend, ct), cancellationToken)
            .ConfigureAwait(false);
        StoreRenderer.Summary(output, opened.View, counts);
        return PapyraExitCodes.Success;
    }
}
