using Microsoft.Extensions.Logging;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;

namespace Papyra.Persistence.Configuration;

/// <summary>
/// The built-in file backends: <c>json</c> (one JSON-lines file at <see cref="PersistenceBackendSettings.Path"/>)
/// and <c>rotating</c> (a set of them based there). Both need a usable path, name the store by its full path,
/// and report an option out of range as a <see cref="PersistenceConfigurationException"/> naming it.
/// </summary>
internal sealed class FileBackendProvider : IPersistenceBackendProvider
{
    private readonly Func<string, PersistenceBackendSettings, PersistenceBackendContext, IPersistenceBackend> _open;

    private FileBackendProvider(string name, Func<string, PersistenceBackendSettings, PersistenceBackendContext, IPersistenceBackend> open)
    {
        Name = name;
        _open = open;
    }

    public static FileBackendProvider Json { get; } = new(JsonFilePersistenceBackend.BackendName, static (path, settings, context) =>
        new JsonFilePersistenceBackend(new JsonFilePersistenceOptions
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

    public static FileBackendProvider Rotating { get; } = new(RotatingFilePersistenceBackend.BackendName, static (path, settings, context) =>
        new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions
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

    public string Name { get; }

    public PersistenceStoreLocation Locate(PersistenceBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PersistenceStoreLocation(settings.Path is null ? "(no path)" : System.IO.Path.GetFullPath(settings.Path));
    }

    public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            throw new PersistenceConfigurationException(
                $"The {Name} backend needs a store path; give one with --path, the config key 'path' or PAPYRA_PATH.");
        }

        string path = System.IO.Path.GetFullPath(settings.Path);
        StorePaths.EnsureUsableFileLocation(path);
        try
        {
            return ValueTask.FromResult(_open(path, settings, context));
        }
        catch (ArgumentException exception)
        {
            // The options validate with ArgumentException; the message without its "(Parameter ...)" tail names the value.
            throw new PersistenceConfigurationException(exception.Message.Split(" (Parameter", 2)[0], exception);
        }
    }
}
