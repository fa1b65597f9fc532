using Papyra.Cli.Commands.Metrics;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
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
        PersistenceBackendSettings store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        RunningSystemGuard.WarnIfLive(store, output, "compacting");
        await using IPersistenceBackend backend = PersistenceBackendFactory.Create(store);
        if (backend is not IPersistenceCompactor compactor)
        {
            throw new CliUsageException($"The {backend.Name} backend does not support compaction.");
        }

        CompactionReport report = await output
            .WithProgressAsync("Compacting", ct => compactor.CompactAsync(ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        StoreRenderer.Compaction(output, StoreView.Of(store), store.Retention, report);
        return PapyraExitCodes.Success;
    }
}
