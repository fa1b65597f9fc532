namespace Papyra.Persistence.Configuration;

/// <summary>Where a store lives, as reports and messages name it: never with a password.</summary>
/// <param name="Path">The store's file, base file or stream key; <see langword="null"/> for a store with no location (memory).</param>
/// <param name="Server">The server holding it, redacted (<c>redis://***@host:6379</c>); <see langword="null"/> for a local store.</param>
public sealed record PersistenceStoreLocation(string? Path, string? Server = null)
{
    /// <summary>One line naming the store: <c>path</c>, <c>path at server</c>, or <paramref name="backend"/> alone.</summary>
    /// <param name="backend">The backend's name, used when the store has no path.</param>
    /// <returns>The display text.</returns>
    public string Describe(string backend) => (Path, Server) switch
    {
        (null, _) => backend,
        (_, null) => Path,
        _ => $"{Path} at {Server}",
    };
}
