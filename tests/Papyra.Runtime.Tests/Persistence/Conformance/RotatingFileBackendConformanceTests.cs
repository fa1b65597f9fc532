using Papyra.Persistence;
using Papyra.Persistence.Rotating;
using Papyra.Runtime.Tests.Persistence.Files;
using Papyra.Testing;

namespace Papyra.Runtime.Tests.Persistence.Conformance;

/// <summary>Small files, so the kit's records span several files of the set.</summary>
public sealed class RotatingFileBackendConformanceTests : FileDamageConformanceTests, IDisposable
{
    private readonly TempStore _store = new("rot.log");
    private readonly TempStore _other = new("rot.log");

    protected override string ActiveFilePath => _store.Path;

    public void Dispose()
    {
        _store.Dispose();
        _other.Dispose();
    }

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options) => Create(_store.Path, options);

    protected override IPersistenceBackend CreateOtherStoreBackend(BackendTestOptions options) => Create(_other.Path, options);

    private static RotatingFilePersistenceBackend Create(string path, BackendTestOptions options)
        => new(new RotatingFilePersistenceOptions
        {
            Path = path,
            MaxBytes = 4096,
            MaxFiles = 50,
            Retention = options.Retention,
            TimeProvider = options.TimeProvider,
        });
}
