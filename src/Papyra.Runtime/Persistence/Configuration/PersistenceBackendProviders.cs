using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Papyra.Persistence.Memory;

namespace Papyra.Persistence.Configuration;

/// <summary>
/// The persistence backends a host, the CLI or code can open by name: an immutable set of
/// <see cref="IPersistenceBackendProvider"/>s. Start from <see cref="BuiltIn"/> (json, rotating,
/// memory) and add the providers of other packages:
/// <code>
/// var providers = PersistenceBackendProviders.BuiltIn.With(new RedisStreamsBackendProvider());
/// await using var backend = await providers.OpenAsync(new PersistenceBackendSettings("redis")
/// {
///     Options = new Dictionary&lt;string, string&gt; { ["url"] = "redis://127.0.0.1:6379" },
/// });
/// </code>
/// </summary>
public sealed class PersistenceBackendProviders
{
    private readonly FrozenDictionary<string, IPersistenceBackendProvider> _byName;

    private PersistenceBackendProviders(IReadOnlyList<IPersistenceBackendProvider> providers)
    {
        Providers = providers;
        Names = [.. providers.Select(p => p.Name)];
        _byName = providers.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>The providers in Papyra.Runtime: <c>json</c>, <c>rotating</c> and <c>memory</c>.</summary>
    public static PersistenceBackendProviders BuiltIn { get; } = new(
    [
        FileBackendProvider.Json,
        FileBackendProvider.Rotating,
        new InMemoryBackendProvider(),
    ]);

    /// <summary>Every provider, in the order they were added (the built-in ones first).</summary>
    public IReadOnlyList<IPersistenceBackendProvider> Providers { get; }

    /// <summary>Every backend name, in the order help texts and error messages list them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>A set with one more provider.</summary>
    /// <param name="provider">The provider to add.</param>
    /// <returns>A new set; this one is unchanged.</returns>
    /// <exception cref="ArgumentException">The provider's name is invalid or already taken (the message names it).</exception>
    public PersistenceBackendProviders With(IPersistenceBackendProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        string name = provider.Name;
        if (string.IsNullOrWhiteSpace(name) || PersistenceBackendSettings.NormalizeName(name) != name)
        {
            throw new ArgumentException($"Invalid backend provider name '{name}': use lower-case snake_case, like 'json' or 'my_store'.", nameof(provider));
        }

        if (_byName.TryGetValue(name, out IPersistenceBackendProvider? existing))
        {
            // The same provider registered twice (two AddPapyra... calls) is harmless; two different ones are ambiguous.
            return existing.GetType() == provider.GetType()
                ? this
                : throw new ArgumentException($"A persistence backend named '{name}' is already registered ({existing.GetType().FullName}).", nameof(provider));
        }

        return new PersistenceBackendProviders([.. Providers, provider]);
    }

    /// <summary>A set with more providers.</summary>
    /// <param name="providers">The providers to add, in order.</param>
    /// <returns>A new set; this one is unchanged.</returns>
    /// <exception cref="ArgumentException">A name is invalid or taken by a different provider.</exception>
    public PersistenceBackendProviders With(IEnumerable<IPersistenceBackendProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        PersistenceBackendProviders set = this;
        foreach (IPersistenceBackendProvider provider in providers)
        {
            set = set.With(provider);
        }

        return set;
    }

    /// <summary>Finds the provider of a backend name.</summary>
    /// <param name="name">The name, as operators type it (case and <c>-</c>/<c>_</c> do not matter).</param>
    /// <param name="provider">The provider.</param>
    /// <returns><see langword="true"/> when one is registered under the name.</returns>
    public bool TryGet([NotNullWhen(true)] string? name, [NotNullWhen(true)] out IPersistenceBackendProvider? provider)
    {
        provider = null;
        return !string.IsNullOrWhiteSpace(name) && _byName.TryGetValue(PersistenceBackendSettings.NormalizeName(name), out provider);
    }

    /// <summary>Finds the provider of a backend name.</summary>
    /// <param name="name">The name, as operators type it.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="PersistenceConfigurationException">No provider has the name; the message names it and lists the known ones.</exception>
    public IPersistenceBackendProvider Get(string name)
        => TryGet(name, out IPersistenceBackendProvider? provider)
            ? provider
            : throw new PersistenceConfigurationException(
                $"Unknown persistence backend '{name}': expected one of {string.Join(", ", Names)}.");

    /// <summary>Where the store the settings describe lives, as reports name it.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The location, with secrets removed.</returns>
    /// <exception cref="PersistenceConfigurationException">No provider is registered under the settings' backend name.</exception>
    public PersistenceStoreLocation Locate(PersistenceBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Get(settings.Backend).Locate(settings);
    }

    /// <summary>Opens the backend the settings name.</summary>
    /// <param name="settings">The backend, location, retention and provider options.</param>
    /// <param name="context">The clock and logging; <see cref="PersistenceBackendContext.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The opened backend; the caller disposes it.</returns>
    /// <exception cref="PersistenceConfigurationException">The name is unknown or the settings are invalid.</exception>
    /// <exception cref="IOException">The store cannot be reached or its path is unusable.</exception>
    public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Get(settings.Backend).OpenAsync(settings, context ?? PersistenceBackendContext.Default, cancellationToken);
    }
}
