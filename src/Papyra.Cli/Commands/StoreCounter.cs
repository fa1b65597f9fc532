using Papyra.Cli.Configuration;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence;

namespace Papyra.Cli.Commands;

/// <summary>Counts what a store holds after retention, through the backend's read API.</summary>
internal static class StoreCounter
{
    /// <summary>Opens the store the settings name, counts it (with progress) and renders the result.</summary>
    /// <returns><see cref="PapyraExitCodes.Success"/>.</returns>
    public static async Task<int> OpenCountAndRenderAsync(RetentionStoreSettings settings, Action<CliOutput, OpenedStore, StoreCounts> render, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        StoreCounts counts = await output
            .WithProgressAsync("Reading", ct => CountAsync(backend, ct), cancellationToken)
            .ConfigureAwait(false);
        render(output, opened, counts);
        return PapyraExitCodes.Success;
    }

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
