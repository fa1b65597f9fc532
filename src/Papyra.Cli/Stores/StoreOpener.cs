using Papyra.Cli.Configuration;
using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Stores;

/// <summary>Opens the store a command resolved: Redis through its own package, every other backend through the library's factory.</summary>
internal static class StoreOpener
{
    public static Task<OpenedStore> OpenAsync(ResolvedStore store, CancellationToken cancellationToken)
        => store.Backend == PersistenceBackendKind.Redis
            ? RedisOpenedStore.OpenAsync(store, cancellationToken)
            : Task.FromResult<OpenedStore>(new LocalOpenedStore(store.Settings));
}
