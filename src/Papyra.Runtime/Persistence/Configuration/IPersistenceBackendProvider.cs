namespace Papyra.Persistence.Configuration;

/// <summary>
/// Opens one kind of persistence backend by name. Every backend plugs into hosts, the <c>papyra</c>
/// CLI and code the same way: the built-in <c>json</c>, <c>rotating</c> and <c>memory</c> providers
/// ship in Papyra.Runtime (<see cref="PersistenceBackendProviders.BuiltIn"/>), <c>redis</c> in
/// Papyra.Persistence.Redis, and a third party's backend is one more implementation of this interface.
/// </summary>
/// <remarks>
/// A provider is stateless and thread-safe: it may open any number of backends, concurrently. The
/// settings it reads beyond <see cref="PersistenceBackendSettings"/>'s common ones come from
/// <see cref="PersistenceBackendSettings.Options"/>, under keys the provider documents.
/// </remarks>
public interface IPersistenceBackendProvider
{
    /// <summary>
    /// The backend's name as operators type it (<c>--backend</c>, the <c>Backend</c> configuration key):
    /// lower-case snake_case, matched case-insensitively with <c>-</c> and <c>_</c> equivalent.
    /// </summary>
    string Name { get; }

    /// <summary>Where the store the settings describe lives, for reports and messages, with secrets removed.</summary>
    /// <param name="settings">The settings naming this provider's backend.</param>
    /// <returns>The store's location; <see cref="PersistenceStoreLocation.Path"/> is <see langword="null"/> for a store with none (memory).</returns>
    PersistenceStoreLocation Locate(PersistenceBackendSettings settings);

    /// <summary>Opens the backend the settings describe.</summary>
    /// <param name="settings">The settings naming this provider's backend.</param>
    /// <param name="context">The clock and logging the backend uses.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The opened backend; the caller disposes it.</returns>
    /// <exception cref="PersistenceConfigurationException">The settings are incomplete or invalid; the message names the bad value (never a secret).</exception>
    /// <exception cref="IOException">The store cannot be reached.</exception>
    ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default);
}
