using Papyra.Persistence.Configuration;

namespace Papyra.Persistence.Memory;

/// <summary>The <c>memory</c> backend: records kept in process memory, lost with the process.</summary>
internal sealed class InMemoryBackendProvider : IPersistenceBackendProvider
{
    public string Name => InMemoryPersistenceBackend.BackendName;

    public PersistenceStoreLocation Locate(PersistenceBackendSettings settings) => new(Path: null);

    public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult<IPersistenceBackend>(new InMemoryPersistenceBackend(settings.Retention, context.TimeProvider));
    }
}
