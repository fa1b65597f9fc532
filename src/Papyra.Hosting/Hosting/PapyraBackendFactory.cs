using Microsoft.Extensions.Logging;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Memory;
using Papyra.Persistence.Rotating;

namespace Papyra.Hosting;

/// <summary>Creates the persistence backend <see cref="PapyraOptions"/> describe.</summary>
internal static class PapyraBackendFactory
{
    public static IPersistenceBackend Create(PapyraOptions options, IServiceProvider services, string contentRoot, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        if (options.BackendFactory is { } factory)
        {
            return factory(services) ?? throw new InvalidOperationException("The backend factory given to PapyraOptions.UseBackend returned null.");
        }

        RetentionPolicy retention = options.Retention.ToPolicy();
        return options.Backend switch
        {
            PapyraBackendKind.Memory => new InMemoryPersistenceBackend(retention, timeProvider),
            PapyraBackendKind.Json => CreateJson(options, ResolvePath(options, contentRoot), retention, timeProvider, loggerFactory),
            PapyraBackendKind.Rotating => CreateRotating(options, ResolvePath(options, contentRoot), retention, timeProvider, loggerFactory),
            _ => throw new InvalidOperationException($"Papyra:Backend '{options.Backend}' is not a known backend (Memory, Json, Rotating)."),
        };
    }

    public static string ResolvePath(PapyraOptions options, string contentRoot)
    {
        string path = options.Path ?? throw new InvalidOperationException($"Papyra:Path is required when Papyra:Backend is {options.Backend}.");
        return System.IO.Path.GetFullPath(path, contentRoot);
    }

    private static JsonFilePersistenceBackend CreateJson(PapyraOptions options, string path, RetentionPolicy retention, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        => new(new JsonFilePersistenceOptions
        {
            Path = path,
            Durability = options.Durability,
            Retention = retention,
            TimeProvider = timeProvider,
            Logger = loggerFactory.CreateLogger<JsonFilePersistenceBackend>(),
        });

    private static RotatingFilePersistenceBackend CreateRotating(PapyraOptions options, string path, RetentionPolicy retention, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        => new(new RotatingFilePersistenceOptions
        {
            Path = path,
            MaxBytes = options.Rotation.MaxBytes,
            MaxFiles = options.Rotation.MaxFiles,
            Durability = options.Durability,
            Retention = retention,
            TimeProvider = timeProvider,
            Logger = loggerFactory.CreateLogger<RotatingFilePersistenceBackend>(),
        });
}
