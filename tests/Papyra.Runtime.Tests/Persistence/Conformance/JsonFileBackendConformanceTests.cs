using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Runtime.Tests.Persistence.Files;
using Papyra.Testing;

namespace Papyra.Runtime.Tests.Persistence.Conformance;

public sealed class JsonFileBackendConformanceTests : FileDamageConformanceTests, IDisposable
{
    private readonly TempStore _store = new();
    private readonly TempStore _other = new();

    protected override string ActiveFilePath => _store.Path;

    public void Dispose()
    {
        _store.Dispose();
        _other.Dispose();
    }

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options) => Create(_store.Path, options);

    protected override IPersistenceBackend CreateOtherStoreBackend(BackendTestOptions options) => Create(_other.Path, options);

    private static JsonFilePersistenceBackend Create(string path, BackendTestOptions options)
        => new(new JsonFilePersistenceOptions
        {
            Path = path,
            Retention = options.Retention,
            TimeProvider = options.TimeProvider,
        });
}
