using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Configuration;

/// <summary>
/// The store a command works on: the library's backend settings (the redis options among the
/// provider options), opened through <see cref="Stores.CliBackends"/>.
/// </summary>
internal sealed record ResolvedStore(PersistenceBackendSettings Settings)
{
    /// <summary>The backend's provider name (<c>json</c>, <c>rotating</c>, <c>memory</c>, <c>redis</c>).</summary>
    public string Backend => Settings.Backend;
}
