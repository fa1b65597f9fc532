using Papyra.Persistence;
using Papyra.Persistence.Memory;
using Papyra.Testing;

namespace Papyra.Runtime.Tests.Persistence.Conformance;

public sealed class InMemoryBackendConformanceTests : PersistenceBackendConformanceTests
{
    protected override bool IsDurable => false;

    protected override bool PositionsOfKeptRecordsSurviveCompaction => true;

    protected override IPersistenceBackend CreateBackend(BackendTestOptions options)
        => new InMemoryPersistenceBackend(options.Retention, options.TimeProvider);
}
