using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Hosting;

/// <summary>
/// How the hosted Papyra actor system is configured. Bound from the configuration section
/// <c>Papyra</c> (<see cref="PapyraHostingDefaults.ConfigurationSection"/>) and then from the
/// delegate given to <c>AddPapyra</c>, which therefore wins.
/// </summary>
/// <example>
/// <code language="json">
/// "Papyra": {
///   "SystemId": "orders",
///   "Backend": "Json",
///   "Path": "data/papyra.ndjson",
///   "Durability": "Fsync",
///   "Retention": { "MaxRecords": 100000, "MaxAgeSeconds": 604800 },
///   "Startup": { "Mode": "FailOnAnomaly" },
///   "Endpoints": { "EnableMutatingEndpoints": true, "AuthorizationPolicy": "PapyraAdmin" }
/// }
/// </code>
/// </example>
public sealed class PapyraOptions
{
    /// <summary>The actor system id (the first part of every address). Default <c>local</c>.</summary>
    public string SystemId { get; set; } = "local";

    /// <summary>
    /// Which persistence backend to create, by its provider's name, case-insensitive: <c>Memory</c> (the
    /// default), <c>Json</c>, <c>Rotating</c>, or a backend whose provider was registered with
    /// <see cref="PapyraServiceCollectionExtensions.AddPapyraBackend(Microsoft.Extensions.DependencyInjection.IServiceCollection, IPersistenceBackendProvider)"/> (<c>Redis</c> from
    /// Papyra.Persistence.Redis, a third party's). Ignored when <see cref="UseBackend"/> supplied a factory.
    /// </summary>
    public string Backend { get; set; } = "Memory";

    /// <summary>
    /// The backend provider's own settings, bound from <c>Papyra:BackendOptions</c> (for <c>Redis</c>:
    /// <c>url</c>, <c>key_prefix</c>, <c>tls_ca</c>; <c>system_id</c> defaults to <see cref="SystemId"/>).
    /// </summary>
    public Dictionary<string, string> BackendOptions { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The store's file path for file backends; relative paths are resolved against the host's content root.</summary>
    public string? Path { get; set; }

    /// <summary>How durable a completed write is, for file backends. Default <see cref="PersistenceDurability.Fsync"/> (group commit).</summary>
    public PersistenceDurability Durability { get; set; } = PersistenceDurability.Fsync;

    /// <summary>The size bounds of the <c>Rotating</c> backend.</summary>
    public PapyraRotationOptions Rotation { get; set; } = new();

    /// <summary>How much history the store keeps.</summary>
    public PapyraRetentionOptions Retention { get; set; } = new();

    /// <summary>The persistence check run before the application serves.</summary>
    public PapyraStartupOptions Startup { get; set; } = new();

    /// <summary>How health probes scan the store.</summary>
    public PapyraHealthOptions Health { get; set; } = new();

    /// <summary>What the HTTP endpoints expose.</summary>
    public PapyraEndpointOptions Endpoints { get; set; } = new();

    /// <summary>The custom backend factory given to <see cref="UseBackend"/>, if any.</summary>
    internal Func<IServiceProvider, IPersistenceBackend>? BackendFactory { get; private set; }

    /// <summary>
    /// Uses a backend the application builds itself instead of <see cref="Backend"/> (prefer a provider
    /// registered with <see cref="PapyraServiceCollectionExtensions.AddPapyraBackend(Microsoft.Extensions.DependencyInjection.IServiceCollection, IPersistenceBackendProvider)"/>, which configuration can select). The actor system owns the backend and disposes it when the host stops.
    /// </summary>
    /// <param name="factory">Creates the backend; called once.</param>
    /// <returns>These options.</returns>
    public PapyraOptions UseBackend(Func<IServiceProvider, IPersistenceBackend> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        BackendFactory = factory;
        return this;
    }
}
