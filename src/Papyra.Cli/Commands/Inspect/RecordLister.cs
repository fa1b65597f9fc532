using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence;

namespace Papyra.Cli.Commands.Inspect;

/// <summary>
/// Streams one kind of record through the backend's streaming read and writes each as it is read:
/// a JSON array written record by record, tables of at most <see cref="RecordRenderer.TableRows"/>
/// rows, or, following, one line (NDJSON with --json) per record until interrupted. Memory stays
/// bounded whatever the store's size.
/// </summary>
internal static class RecordLister
{
    /// <summary>Records a follow prints before the new ones when neither --limit nor a cursor says otherwise (like tail).</summary>
    public const int DefaultFollowBacklog = 10;

    public static async Task<int> ListAsync(InspectQuerySettings settings, PersistedRecordKind kind, CancellationToken cancellationToken)
    {
        PersistenceQuery query = settings.ToQuery();
        double? until = settings.UntilSeconds;
        if (settings.Follow && settings.Reverse)
        {
            throw new CliUsageException("--reverse cannot be combined with --follow: following prints records oldest first as they are appended.");
        }

        CursorFile? cursor = settings.CursorFile is { } file ? CursorFile.Open(file) : null;
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        var statistics = new PersistenceReadStatistics();
        var request = new PersistenceReadRequest
        {
            Kinds = [kind],
            Limit = cursor is not null ? null : query.Limit ?? (settings.Follow ? DefaultFollowBacklog : null),
            Since = query.Since,
            Until = until,
            Actor = query.Actor,
            Type = query.Type,
            Order = settings.Reverse ? PersistenceReadOrder.NewestFirst : PersistenceReadOrder.OldestFirst,
            After = cursor?.Position,
            Statistics = statistics,
        };
        if (cursor is not null && query.Limit is not null)
        {
            throw new CliUsageException("--limit cannot be combined with --cursor-file: a cursor resumes with every record after it.");
        }

        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        // Reading ahead pays for a long listing only: a table's worth of records is read and printed
        // sooner by one thread than by starting a second.
        IAsyncEnumerable<StoredRecord> records = settings.Follow
            ? opened.Backend.FollowAsync(request, cancellationToken)
            : request.Limit is { } limit && limit <= RecordRenderer.TableRows
                ? opened.Backend.StreamAsync(request, cancellationToken)
                : ReadAhead.Batched(opened.Backend.StreamAsync(request, cancellationToken), cancellationToken);
        if (settings.Follow)
        {
            await RecordRenderer.FollowAsync(output, records, cursor is null ? null : cursor.Save, cancellationToken).ConfigureAwait(false);
            return PapyraExitCodes.Success;
        }

        await RecordRenderer.RecordsAsync(output, records, cursor is null ? null : cursor.Save, cancellationToken).ConfigureAwait(false);
        RecordRenderer.Skipped(output, statistics.SkippedRecords);
        return PapyraExitCodes.Success;
    }
}
