using Papyra.Cli.Configuration;
using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Stores;

/// <summary>Opens the store a command resolved through its backend's provider (<see cref="CliBackends"/>): no backend is special-cased.</summary>
internal static class StoreOpener
{
    public static async Task<OpenedStore> OpenAsync(ResolvedStore store, CancellationToken cancellationToken)
    {
        // A bad setting is a PersistenceConfigurationException: a usage error (exit 64) like any bad option.
        IPersistenceBackendProvider provider = CliBackends.Providers.Get(store.Backend);
        PersistenceStoreLocation location = provider.Locate(store.Settings);
        IPersistenceBackend backend = await provider.OpenAsync(store.Settings, PersistenceBackendContext.Default, cancellationToken).ConfigureAwait(false);
        return new ProviderOpenedStore(backend, new StoreView(provider.Name, location.Path, location.Server));
    }

    /// <summary>A store opened through its provider; live metrics through the backend when it can read them.</summary>
    private sealed class ProviderOpenedStore(IPersistenceBackend backend, StoreView view) : OpenedStore
    {
        public override IPersistenceBackend Backend { get; } = backend;

        public override StoreView View { get; } = view;

        public override async Task<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken)
            => Backend is IPersistenceLiveMetricsSource source
                ? await source.ReadLiveMetricsAsync(cancellationToken).ConfigureAwait(false)
                : null;

        public override async Task<string?> RequestMetricsResetAsync(CancellationToken cancellationToken)
            => Backend is IPersistenceLiveMetricsSource source
                ? await source.RequestMetricsResetAsync(cancellationToken).ConfigureAwait(false)
                : null;

        public override ValueTask DisposeAsync() => Backend.DisposeAsync();
    }
}
