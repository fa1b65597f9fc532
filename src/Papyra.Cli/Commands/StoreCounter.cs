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
        // Counted without materialising a record; the latest audit is the first one read newest first.
        PersistenceRecordCounts counts = await backend.CountRecordsAsync(cancellationToken).ConfigureAwait(false);
        PersistedAudit? latest = null;
        var newestAudit = new PersistenceReadRequest { Kinds = [PersistedRecordKind.Audit], Limit = 1, Order = PersistenceReadOrder.NewestFirst };
        await foreach (StoredRecord stored in backend.StreamAsync(newestAudit, cancellationToken).ConfigureAwait(false))
        {
            latest = (PersistedAudit)stored.Record;
        }

        return new StoreCounts(counts.Events, counts.Audits, counts.DeadLetters, counts.Skipped, latest);
    }
}
