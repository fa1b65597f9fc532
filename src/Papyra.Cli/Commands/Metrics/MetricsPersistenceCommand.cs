using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Metrics;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Metrics;

/// <summary><c>papyra metrics persistence</c>: the persistence counters a running system publishes for its store.</summary>
internal sealed class MetricsPersistenceCommand : AsyncCommand<MetricsPersistenceCommand.Settings>
{
    public const string Description = "Show the persistence counters a running system publishes next to its store, and their age. Exits 0 with zero counters and live=false when no system is running.";

    /// <summary>The store whose running system's counters are shown.</summary>
    public sealed class Settings : StoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        PersistenceBackendSettings store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);

        // Opening the backend validates the configuration and the path the same way as every command.
        await using IPersistenceBackend backend = PersistenceBackendFactory.Create(store);
        PersistenceLiveMetrics? live = LiveMetricsReader.TryRead(store);
        MetricsRenderer.Metrics(output, StoreView.Of(store), live);
        return PapyraExitCodes.Success;
    }
}
