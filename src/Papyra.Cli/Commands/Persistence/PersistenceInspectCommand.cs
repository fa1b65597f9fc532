using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence inspect</c>: what the store is and what it holds.</summary>
internal sealed class PersistenceInspectCommand : AsyncCommand<PersistenceInspectCommand.Settings>
{
    public const string Description = "Describe a store: backend, location, retention, capabilities and record counts after retention.";

    /// <summary>The store and the retention applied to the counts.</summary>
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
        StoreRenderer.Inspect(output, opened.View, backend.Retention, PersistenceBackendCapabilities.Of(backend), counts);
        return PapyraExitCodes.Success;
    }
}
