using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Runtime.Tests.Persistence.Files;
using Papyra.Testing;

namespace Papyra.Runtime.Tests.Persistence.Conformance;

public sealed class JsonFileBackendConformanceTests : FileDamageConformanceTests, IDisposable
{
    private readonly TempStore _store = new();

    protected override string ActiveFilePath => _store.Path;

    public void Dispose() => _store.Dispose();

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options)
        => new JsonFilePersistenceBackend(new JsonFilePersistenceOptions
        {
            Path = _store.Path,
            Retention = options.Retention,
            TimeProvider = options.TimeProvider,
        });
}
