using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Runtime.Tests.Persistence.Files;

/// <summary>The append hot path serialises into a per-thread buffer and copies into the log's pending buffer: no allocation per record.</summary>
/// <remarks>
/// Runs alone (with the other allocation tests): the stores' large buffers come from one process-wide pool,
/// and a store of a test running beside it could hold them, so that this store allocated a new 64 KB
/// buffer inside the measured appends (seen once in CI: 71,496 bytes for 10,000 appends).
/// </remarks>
[Collection(nameof(Mailboxes.AllocationTests))]
public sealed class AppendAllocationTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(PersistenceDurability.None)]
    [InlineData(PersistenceDurability.Flush)]
    public async Task Appending_allocates_nothing_per_record_in_steady_state(PersistenceDurability durability)
    {
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, Durability = durability, PublishMetrics = false });
        using JsonDocument payload = JsonDocument.Parse("""{"error":"InvalidOperationException: boom","n":[1,2.5,null]}""");
        var record = new PersistedEvent("local", new ActorAddress("local", 1), "ActorCrashed", payload.RootElement, 1_700_000_000.25);
        Append(backend, record, 2_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Append(backend, record, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 10_000, $"{allocated} bytes for 10000 appends (less than one byte per record expected)");
    }

    private static void Append(JsonFilePersistenceBackend backend, PersistedEvent record, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ValueTask write = backend.RecordEventAsync(record);
            Assert.True(write.IsCompletedSuccessfully);
        }
    }
}
