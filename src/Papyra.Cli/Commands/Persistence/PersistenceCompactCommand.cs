using Papyra.Cli.Commands.Metrics;
using Papyra.Cli.Errors;
using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence compact</c>: rewrites a store atomically, applying retention.</summary>
internal sealed class PersistenceCompactCommand : AsyncCommand<PersistenceCompactCommand.Settings>
{
    public const string Description = "Compact a store atomically, physically applying retention; prints records and bytes before and after.";

    /// <summary>The store and the retention limits to apply.</summary>
    public sealed class Settings : RetentionStoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        await RunningSystemGuard.WarnIfLiveAsync(opened, output, "compacting", cancellationToken).ConfigureAwait(false);
        if (backend is not IPersistenceCompactor compactor)
        {
            throw new CliUsageException($"The {backend.Name} backend does not support compaction.");
        }

        CompactionReport report = await output
            .WithProgressAsync("Compacting", ct => compactor.CompactAsync(ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        StoreRenderer.Compaction(output, opened.View, store.Settings.Retention, report);
        return PapyraExitCodes.Success;
    }
}
