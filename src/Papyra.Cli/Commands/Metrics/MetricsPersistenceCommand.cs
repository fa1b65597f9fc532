using Papyra.Cli.Configuration;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence.Metrics;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Metrics;

/// <summary><c>papyra metrics persistence</c>: the persistence counters a running system publishes for its store.</summary>
internal sealed class MetricsPersistenceCommand : AsyncCommand<MetricsPersistenceCommand.Settings>
{
    public const string Description = "Show the persistence counters a running system publishes for its store (a file beside it, or the system's metrics hash in Redis), and their age. Exits 0 with zero counters and live=false when no system is running.";

    /// <summary>The store whose running system's counters are shown.</summary>
    public sealed class Settings : StoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);

        // Opening the backend validates the configuration and the location the same way as every command.
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        PersistenceLiveMetrics? live = await opened.ReadLiveMetricsAsync(cancellationToken).ConfigureAwait(false);
        MetricsRenderer.Metrics(output, opened.View, live);
        return PapyraExitCodes.Success;
    }
}
