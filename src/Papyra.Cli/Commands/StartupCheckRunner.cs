using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Startup;

namespace Papyra.Cli.Commands;

/// <summary>Runs the library's startup check for a command and renders it; the command maps the outcome to its exit code.</summary>
internal static class StartupCheckRunner
{
    public static async Task<StartupCheckOutcome> RunAsync(StartupCheckSettings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        PersistenceStartupConfig config = settings.ToStartupConfig(store.Backend);
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        PersistenceStartupReport report = await output
            .WithProgressAsync("Checking", ct => PersistenceStartupCheck.RunAsync(backend, config, logger: null, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        HealthRenderer.StartupCheck(output, opened.View, config, report);
        return StartupCheckOutcomes.Of(report);
    }
}
