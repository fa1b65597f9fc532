using Papyra.Cli.Configuration;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence.Metrics;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Metrics;

/// <summary><c>papyra metrics reset</c>: asks the running system to start its counters from zero.</summary>
internal sealed class MetricsResetCommand : AsyncCommand<MetricsResetCommand.Settings>
{
    public const string Description = "Ask the running system that publishes metrics for the store to zero its counters; its next snapshot starts from zero. Does nothing (exit 0) when no system is running.";

    /// <summary>The store whose running system's counters are reset.</summary>
    public sealed class Settings : StoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        PersistenceLiveMetrics? live = await opened.ReadLiveMetricsAsync(cancellationToken).ConfigureAwait(false);
        string? request = live is not { PublisherRunning: true } ? null : await opened.RequestMetricsResetAsync(cancellationToken).ConfigureAwait(false);
        MetricsRenderer.Reset(output, opened.View, request is null ? null : live, request);
        return PapyraExitCodes.Success;
    }
}
