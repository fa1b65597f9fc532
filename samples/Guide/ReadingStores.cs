using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Samples.Guide;

/// <summary>docs/guide/persistence.md: reading a store from a tool.</summary>
public static class ReadingStores
{
    /// <summary>The five newest records, read from the end of the store.</summary>
    public static async Task<IReadOnlyList<PersistedRecord>> NewestAsync(string path)
    {
        // guide:begin read-newest
        await using IPersistenceBackend store = await PersistenceBackendProviders.BuiltIn.OpenAsync(
            new PersistenceBackendSettings("json") { Path = path, PublishMetrics = false });

        var newest = new List<PersistedRecord>();
        await foreach (StoredRecord stored in store.StreamAsync(new PersistenceReadRequest
        {
            Order = PersistenceReadOrder.NewestFirst,
            Limit = 5,
        }))
        {
            newest.Add(stored.Record);
            Console.WriteLine($"{stored.Record.Time:O} {stored.Record.Kind}");
        }
        // guide:end

        return newest;
    }

    /// <summary>Every record after a saved position, and the position to save next.</summary>
    public static async Task<(int Read, string? Cursor)> ResumeAsync(string path, string? savedCursor)
    {
        // guide:begin read-resume
        await using IPersistenceBackend store = await PersistenceBackendProviders.BuiltIn.OpenAsync(
            new PersistenceBackendSettings("json") { Path = path, PublishMetrics = false });

        // A position is opaque text: keep it anywhere (a file, a database row) and resume after it.
        PersistencePosition? after = savedCursor is null ? null : PersistencePosition.Parse(savedCursor);
        int read = 0;
        string? cursor = savedCursor;
        await foreach (StoredRecord stored in store.StreamAsync(new PersistenceReadRequest { After = after }))
        {
            read++;                               // ship stored.Record somewhere...
            cursor = stored.Position.ToString();  // ...then remember where you are
        }
        // guide:end

        return (read, cursor);
    }

    /// <summary>Counts per kind without holding the store in memory.</summary>
    public static async Task<PersistenceRecordCounts> CountAsync(string path)
    {
        // guide:begin count
        await using IPersistenceBackend store = await PersistenceBackendProviders.BuiltIn.OpenAsync(
            new PersistenceBackendSettings("json") { Path = path, PublishMetrics = false });
        PersistenceRecordCounts counts = await store.CountRecordsAsync();
        Console.WriteLine($"{counts.Events} events, {counts.Audits} audits, {counts.DeadLetters} dead letters, {counts.Skipped} damaged lines");
        // guide:end
        return counts;
    }
}
