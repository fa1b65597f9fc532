using Microsoft.Extensions.Logging;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Hosting;

/// <summary>Creates the persistence backend <see cref="PapyraOptions"/> describe, through the factory the CLI uses too.</summary>
internal static class PapyraBackendFactory
{
    public static IPersistenceBackend Create(PapyraOptions options, IServiceProvider services, string contentRoot, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        if (options.BackendFactory is { } factory)
        {
            return factory(services) ?? throw new InvalidOperationException("The backend factory given to PapyraOptions.UseBackend returned null.");
        }

        PersistenceBackendKind kind = options.Backend switch
        {
            PapyraBackendKind.Memory => PersistenceBackendKind.Memory,
            PapyraBackendKind.Json => PersistenceBackendKind.Json,
            PapyraBackendKind.Rotating => PersistenceBackendKind.Rotating,
            _ => throw new InvalidOperationException($"Papyra:Backend '{options.Backend}' is not a known backend (Memory, Json, Rotating)."),
        };

        var settings = new PersistenceBackendSettings(kind)
        {
            Path = kind == PersistenceBackendKind.Memory ? null : ResolvePath(options, contentRoot),
            Retention = options.Retention.ToPolicy(),
            Durability = options.Durability,
            RotatingMaxBytes = options.Rotation.MaxBytes,
            RotatingMaxFiles = options.Rotation.MaxFiles,
        };
        return PersistenceBackendFactory.Create(settings, timeProvider, loggerFactory);
    }

    public static string ResolvePath(PapyraOptions options, string contentRoot)
    {
        string path = options.Path ?? throw new InvalidOperationException($"Papyra:Path is required when Papyra:Backend is {options.Backend}.");
        return System.IO.Path.GetFullPath(path, contentRoot);
    }
}
