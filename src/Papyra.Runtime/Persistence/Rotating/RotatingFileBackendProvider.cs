using Microsoft.Extensions.Logging;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;

namespace Papyra.Persistence.Rotating;

/// <summary>The <c>rotating</c> backend: a set of JSON-lines files based at <see cref="PersistenceBackendSettings.Path"/>.</summary>
internal sealed class RotatingFileBackendProvider : IPersistenceBackendProvider
{
    public string Name => RotatingFilePersistenceBackend.BackendName;

    public PersistenceStoreLocation Locate(PersistenceBackendSettings settings) => FileBackendProviderSupport.Locate(settings);

    public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        string path = FileBackendProviderSupport.RequirePath(settings);
        return FileBackendProviderSupport.Open(() => new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions
        {
            Path = path,
            MaxBytes = settings.RotatingMaxBytes ?? RotatingFilePersistenceOptions.DefaultMaxBytes,
            MaxFiles = settings.RotatingMaxFiles ?? RotatingFilePersistenceOptions.DefaultMaxFiles,
            Durability = settings.Durability,
            Retention = settings.Retention,
            TimeProvider = context.TimeProvider,
            PublishMetrics = settings.PublishMetrics,
            MaxLineBytes = settings.MaxLineBytes ?? JsonFilePersistenceOptions.DefaultMaxLineBytes,
            MaxNestingDepth = settings.MaxNestingDepth ?? JsonFilePersistenceOptions.DefaultMaxNestingDepth,
            Logger = context.LoggerFactory.CreateLogger<RotatingFilePersistenceBackend>(),
        }));
    }
}
