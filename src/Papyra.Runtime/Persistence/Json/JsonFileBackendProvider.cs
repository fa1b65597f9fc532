using Microsoft.Extensions.Logging;
using Papyra.Persistence.Configuration;

namespace Papyra.Persistence.Json;

/// <summary>The <c>json</c> backend: one JSON-lines file at <see cref="PersistenceBackendSettings.Path"/>.</summary>
internal sealed class JsonFileBackendProvider : IPersistenceBackendProvider
{
    public string Name => JsonFilePersistenceBackend.BackendName;

    public PersistenceStoreLocation Locate(PersistenceBackendSettings settings) => FileBackendProviderSupport.Locate(settings);

    public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        string path = FileBackendProviderSupport.RequirePath(settings);
        return FileBackendProviderSupport.Open(() => new JsonFilePersistenceBackend(new JsonFilePersistenceOptions
        {
            Path = path,
            Durability = settings.Durability,
            Retention = settings.Retention,
            TimeProvider = context.TimeProvider,
            PublishMetrics = settings.PublishMetrics,
            MaxLineBytes = settings.MaxLineBytes ?? JsonFilePersistenceOptions.DefaultMaxLineBytes,
            MaxNestingDepth = settings.MaxNestingDepth ?? JsonFilePersistenceOptions.DefaultMaxNestingDepth,
            Logger = context.LoggerFactory.CreateLogger<JsonFilePersistenceBackend>(),
        }));
    }
}
