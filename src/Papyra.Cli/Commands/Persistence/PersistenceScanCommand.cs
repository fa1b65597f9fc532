using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence scan</c>: checks a store for damage without changing it.</summary>
internal sealed class PersistenceScanCommand : AsyncCommand<PersistenceScanCommand.Settings>
{
    public const string Description = "Scan a store for damage, read-only. Exits 2 when anomalies are found.";

    /// <summary>The store options only: a scan never changes anything.</summary>
    public sealed class Settings : StoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        PersistenceScanReport? report = backend is IPersistenceScanner scanner
            ? await output.WithProgressAsync("Scanning", ct => scanner.ScanAsync(ct).AsTask(), cancellationToken).ConfigureAwait(false)
            : null;

        HealthRenderer.Scan(output, opened.View, report);
        return report is { HasAnomalies: true } ? PapyraExitCodes.AnomaliesFound : PapyraExitCodes.Success;
    }
}
