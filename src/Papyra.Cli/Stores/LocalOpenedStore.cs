using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Stores;

/// <summary>A json, rotating or memory store, opened by the library's <see cref="PersistenceBackendFactory"/>; live metrics live in a file beside it.</summary>
internal sealed class LocalOpenedStore : OpenedStore
{
    private readonly PersistenceBackendSettings _settings;

    public LocalOpenedStore(PersistenceBackendSettings settings)
    {
        _settings = settings;
        Backend = PersistenceBackendFactory.Create(settings);
        View = new StoreView(
            PersistenceOptionNames.ToName(settings.Backend),
            settings.Backend == PersistenceBackendKind.Memory ? null : settings.DisplayLocation);
    }

    public override IPersistenceBackend Backend { get; }

    public override StoreView View { get; }

    public override Task<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken)
        => Task.FromResult(
            _settings.Backend is PersistenceBackendKind.Json or PersistenceBackendKind.Rotating && _settings.Path is { } path
                ? PersistenceMetricsFile.TryRead(path)
                : null);

    public override async Task<string?> RequestMetricsResetAsync(CancellationToken cancellationToken)
    {
        if (await ReadLiveMetricsAsync(cancellationToken).ConfigureAwait(false) is null || _settings.Path is not { } path)
        {
            return null;
        }

        PersistenceMetricsFile.RequestReset(path);
        return PersistenceMetricsFile.ResetRequestPathFor(path);
    }

    public override ValueTask DisposeAsync() => Backend.DisposeAsync();
}
