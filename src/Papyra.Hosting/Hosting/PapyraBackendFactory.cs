using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;

namespace Papyra.Hosting;

/// <summary>
/// Opens the persistence backend <see cref="PapyraOptions"/> describe through the provider model the CLI
/// uses too: the built-in providers plus every <see cref="IPersistenceBackendProvider"/> in the container.
/// </summary>
internal static class PapyraBackendFactory
{
    public static async ValueTask<IPersistenceBackend> OpenAsync(
        PapyraOptions options, IServiceProvider services, string contentRoot, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (options.BackendFactory is { } factory)
        {
            return factory(services) ?? throw new InvalidOperationException("The backend factory given to PapyraOptions.UseBackend returned null.");
        }

        PersistenceBackendProviders providers = PersistenceBackendProviders.BuiltIn.With(services.GetServices<IPersistenceBackendProvider>());
        IPersistenceBackendProvider provider = providers.TryGet(options.Backend, out IPersistenceBackendProvider? found)
            ? found
            : throw new InvalidOperationException($"Papyra:Backend '{options.Backend}' is not a known backend ({string.Join(", ", providers.Names)}).");

        var backendOptions = new Dictionary<string, string>(options.BackendOptions ?? [], StringComparer.OrdinalIgnoreCase);

        // A backend that separates systems (Redis streams) stores this system's records under its id.
        backendOptions.TryAdd("system_id", options.SystemId);
        var settings = new PersistenceBackendSettings(provider.Name)
        {
            Path = IsFileBackend(provider.Name) ? ResolvePath(options, contentRoot) : options.Path,
            Options = backendOptions,
            Retention = options.Retention.ToPolicy(),
            Durability = options.Durability,
            RotatingMaxBytes = options.Rotation.MaxBytes,
            RotatingMaxFiles = options.Rotation.MaxFiles,
        };
        var context = new PersistenceBackendContext { TimeProvider = timeProvider, LoggerFactory = loggerFactory };
        return await provider.OpenAsync(settings, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the backend keeps its store in files at <see cref="PapyraOptions.Path"/> (and so needs one).</summary>
    public static bool IsFileBackend(string name) => name is JsonFilePersistenceBackend.BackendName or RotatingFilePersistenceBackend.BackendName;

    /// <summary>Whether the options select the backend of this provider name.</summary>
    public static bool IsBackend(PapyraOptions options, string name)
        => !string.IsNullOrWhiteSpace(options.Backend) && PersistenceBackendSettings.NormalizeName(options.Backend) == name;

    public static string ResolvePath(PapyraOptions options, string contentRoot)
    {
        string path = options.Path ?? throw new InvalidOperationException($"Papyra:Path is required when Papyra:Backend is {options.Backend}.");
        return System.IO.Path.GetFullPath(path, contentRoot);
    }
}
