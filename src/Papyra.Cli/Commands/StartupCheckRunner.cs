using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Startup;

namespace Papyra.Cli.Commands;

/// <summary>Runs the library's startup check for a command and renders it; the command maps the outcome to its exit code.</summary>
internal static class StartupCheckRunner
{
    public static async Task<StartupCheckOutcome> RunAsync(StartupCheckSettings settings, CancellationToken cancellationToken)
    {
        PersistenceStartupConfig config = settings.ToStartupConfig();
        PersistenceBackendSettings store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using IPersistenceBackend backend = PersistenceBackendFactory.Create(store);
        PersistenceStartupReport report = await output
            .WithProgressAsync("Checking", ct => PersistenceStartupCheck.RunAsync(backend, config, logger: null, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        HealthRenderer.StartupCheck(output, StoreView.Of(store), config, report);
        return StartupCheckOutcomes.Of(report);
    }
}
