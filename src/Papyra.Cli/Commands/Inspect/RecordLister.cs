using Papyra.Cli.Configuration;
using Papyra.Cli.Stores;
using Papyra.Cli.Rendering;
using Papyra.Persistence;

namespace Papyra.Cli.Commands.Inspect;

/// <summary>Reads one kind of record with a query through the backend and renders the listing.</summary>
internal static class RecordLister
{
    public static async Task<int> ListAsync<T>(
        InspectQuerySettings settings,
        Func<IPersistenceBackend, PersistenceQuery, CancellationToken, ValueTask<PersistenceReadResult<T>>> read,
        CancellationToken cancellationToken)
        where T : PersistedRecord
    {
        PersistenceQuery query = settings.ToQuery();
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = opened.Backend;
        PersistenceReadResult<T> result = await output
            .WithProgressAsync("Reading", ct => read(backend, query, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        IReadOnlyList<T> records = settings.Reverse ? [.. result.Records.Reverse()] : result.Records;
        RecordRenderer.Records(output, records, result.SkippedRecords);
        return PapyraExitCodes.Success;
    }
}
