using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
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
        PersistenceBackendSettings store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using IPersistenceBackend backend = PersistenceBackendFactory.Create(store);
        PersistenceLiveMetrics? live = LiveMetricsReader.TryRead(store);
        string? request = null;
        if (live is not null && store.Path is { } path)
        {
            PersistenceMetricsFile.RequestReset(path);
            request = PersistenceMetricsFile.ResetRequestPathFor(path);
        }

        MetricsRenderer.Reset(output, StoreView.Of(store), live, request);
        return PapyraExitCodes.Success;
    }
}
