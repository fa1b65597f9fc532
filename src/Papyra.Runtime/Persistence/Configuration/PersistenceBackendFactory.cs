using Microsoft.Extensions.Logging;
using Papyra.Persistence.Json;
using Papyra.Persistence.Memory;
using Papyra.Persistence.Rotating;

namespace Papyra.Persistence.Configuration;

/// <summary>
/// Opens a built-in backend from <see cref="PersistenceBackendSettings"/>. Shared by the CLI and
/// hosts so a store is opened the same way wherever it is configured.
/// </summary>
public static class PersistenceBackendFactory
{
    /// <summary>Opens the backend the settings describe.</summary>
    /// <param name="settings">The backend, location and retention.</param>
    /// <param name="timeProvider">The clock for age retention; <see langword="null"/> for the system clock.</param>
    /// <param name="loggerFactory">Where the backend logs (rotations, torn tails, write failures); none by default.</param>
    /// <returns>The opened backend; the caller disposes it.</returns>
    /// <exception cref="PersistenceConfigurationException">The settings are incomplete or name a backend this build does not include.</exception>
    /// <exception cref="IOException">The path names a directory or lies under a file.</exception>
    public static IPersistenceBackend Create(PersistenceBackendSettings settings, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Backend)
        {
            case PersistenceBackendKind.Memory:
                return new InMemoryPersistenceBackend(settings.Retention, timeProvider);
            case PersistenceBackendKind.Json:
            case PersistenceBackendKind.Rotating:
                string path = RequirePath(settings);
                StorePaths.EnsureUsableFileLocation(path);
                return CreateFileBackend(settings with { Path = path }, timeProvider, loggerFactory);
            case PersistenceBackendKind.Redis:
                if (settings.RedisUrl is { } url)
                {
                    RedisUrlValidation.Validate(url);
                }

                throw new PersistenceConfigurationException(
                    "The Redis backend is not available in this build of Papyra; use the json, rotating or memory backend.");
            default:
                throw new PersistenceConfigurationException($"Unknown persistence backend {settings.Backend}.");
        }
    }

    private static string RequirePath(PersistenceBackendSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            throw new PersistenceConfigurationException(
                $"The {PersistenceOptionNames.ToName(settings.Backend)} backend needs a store path; give one with --path, the config key 'path' or PAPYRA_PATH.");
        }

        return Path.GetFullPath(settings.Path);
    }

    private static IPersistenceBackend CreateFileBackend(PersistenceBackendSettings settings, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        try
        {
            return settings.Backend switch
            {
                PersistenceBackendKind.Json => new JsonFilePersistenceBackend(new JsonFilePersistenceOptions
                {
                    Path = settings.Path!,
                    Durability = settings.Durability,
                    Retention = settings.Retention,
                    TimeProvider = timeProvider,
                    PublishMetrics = settings.PublishMetrics,
                    MaxLineBytes = settings.MaxLineBytes ?? JsonFilePersistenceOptions.DefaultMaxLineBytes,
                    MaxNestingDepth = settings.MaxNestingDepth ?? JsonFilePersistenceOptions.DefaultMaxNestingDepth,
                    Logger = loggerFactory?.CreateLogger<JsonFilePersistenceBackend>(),
                }),
                _ => new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions
                {
                    Path = settings.Path!,
                    MaxBytes = settings.RotatingMaxBytes ?? RotatingFilePersistenceOptions.DefaultMaxBytes,
                    MaxFiles = settings.RotatingMaxFiles ?? RotatingFilePersistenceOptions.DefaultMaxFiles,
                    Durability = settings.Durability,
                    Retention = settings.Retention,
                    TimeProvider = timeProvider,
                    PublishMetrics = settings.PublishMetrics,
                    MaxLineBytes = settings.MaxLineBytes ?? JsonFilePersistenceOptions.DefaultMaxLineBytes,
                    MaxNestingDepth = settings.MaxNestingDepth ?? JsonFilePersistenceOptions.DefaultMaxNestingDepth,
                    Logger = loggerFactory?.CreateLogger<RotatingFilePersistenceBackend>(),
                }),
            };
        }
        catch (ArgumentException exception)
        {
            throw new PersistenceConfigurationException(exception.Message.Split(" (Parameter", 2)[0], exception);
        }
    }
}
