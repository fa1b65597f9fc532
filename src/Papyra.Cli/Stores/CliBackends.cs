using Papyra.Persistence.Configuration;
using Papyra.Persistence.Redis;

namespace Papyra.Cli.Stores;

/// <summary>The backends the <c>papyra</c> tool opens: Papyra.Runtime's built-in ones and Redis, through the one provider model.</summary>
internal static class CliBackends
{
    /// <summary>json, rotating, memory and redis.</summary>
    public static PersistenceBackendProviders Providers { get; } = PersistenceBackendProviders.BuiltIn.With(new RedisStreamsBackendProvider());
}
