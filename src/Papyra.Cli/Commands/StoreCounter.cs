using Papyra.Cli.Rendering;
using Papyra.Persistence;

namespace Papyra.Cli.Commands;

/// <summary>Counts what a store holds after retention, through the backend's read API.</summary>
internal static class StoreCounter
{
    public static async Task<StoreCounts> CountAsync(IPersistenceBackend backend, CancellationToken cancellationToken)
    {
        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync(null, cancellationToken).ConfigureAwait(false);
        PersistenceReadResult<PersistedAudit> audits = await backend.ReadAuditsAsync(null, cancellationToken).ConfigureAwait(false);
        PersistenceReadResult<PersistedDeadLetter> deadLetters = await backend.ReadDeadLettersAsync(null, cancellationToken).ConfigureAwait(false);

        // Each read skips the same damaged lines; the largest figure is the number of damaged lines.
        long skipped = Math.Max(events.SkippedRecords, Math.Max(audits.SkippedRecords, deadLetters.SkippedRecords));
        return new StoreCounts(events.Records.Count, audits.Records.Count, deadLetters.Records.Count, skipped, audits.Records.Count > 0 ? audits.Records[^1] : null);
    }
}
