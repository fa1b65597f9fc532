using System.Globalization;
using System.Runtime.CompilerServices;

namespace Papyra.Persistence;

/// <summary>
/// Streaming reads for any backend: the backend's own <see cref="IPersistenceStreamReader"/> when it
/// has one, otherwise a fallback over the list reads (which materialise each kind; positions are
/// then indexes into that order, scheme <c>list</c>).
/// </summary>
public static class PersistenceStreaming
{
    private const string ListScheme = "list";

    /// <summary>Streams the records the request selects (see <see cref="IPersistenceStreamReader.ReadAsync"/>).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="request">Kinds, filters, limit, order and where to resume; <see langword="null"/> for every record oldest first.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The records with their positions.</returns>
    public static IAsyncEnumerable<StoredRecord> StreamAsync(this IPersistenceBackend backend, PersistenceReadRequest? request = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        request ??= PersistenceReadRequest.All;
        return backend is IPersistenceStreamReader reader ? reader.ReadAsync(request, cancellationToken) : FallbackAsync(backend, request, cancellationToken);
    }

    /// <summary>Counts the records per kind after retention (see <see cref="IPersistenceStreamReader.CountAsync"/>).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="cancellationToken">Stops the count.</param>
    /// <returns>The counts.</returns>
    public static async ValueTask<PersistenceRecordCounts> CountRecordsAsync(this IPersistenceBackend backend, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend is IPersistenceStreamReader reader)
        {
            return await reader.CountAsync(cancellationToken).ConfigureAwait(false);
        }

        PersistenceReadResult<PersistedEvent> events = await backend.ReadEventsAsync(null, cancellationToken).ConfigureAwait(false);
        PersistenceReadResult<PersistedAudit> audits = await backend.ReadAuditsAsync(null, cancellationToken).ConfigureAwait(false);
        PersistenceReadResult<PersistedDeadLetter> deadLetters = await backend.ReadDeadLettersAsync(null, cancellationToken).ConfigureAwait(false);
        return new PersistenceRecordCounts(events.Records.Count, audits.Records.Count, deadLetters.Records.Count, events.SkippedRecords);
    }

    /// <summary>Follows the store (see <see cref="IPersistenceStreamReader.FollowAsync"/>).</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="request">Kinds, filters, backlog and where to resume.</param>
    /// <param name="cancellationToken">Ends the follow.</param>
    /// <returns>The records with their positions.</returns>
    /// <exception cref="NotSupportedException">The backend cannot follow (it has no <see cref="IPersistenceStreamReader"/>).</exception>
    public static IAsyncEnumerable<StoredRecord> FollowAsync(this IPersistenceBackend backend, PersistenceReadRequest? request = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend is IPersistenceStreamReader reader
            ? reader.FollowAsync(request ?? PersistenceReadRequest.All, cancellationToken)
            : throw new NotSupportedException($"The {backend.Name} backend cannot follow a store: it does not implement IPersistenceStreamReader.");
    }

    private static async IAsyncEnumerable<StoredRecord> FallbackAsync(IPersistenceBackend backend, PersistenceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = new List<PersistedRecord>();
        var filter = new PersistenceQuery { Since = request.Since, Actor = request.Actor, Type = request.Type };
        if (request.Wants(PersistedRecordKind.Event))
        {
            all.AddRange((await backend.ReadEventsAsync(filter, cancellationToken).ConfigureAwait(false)).Records);
        }

        if (request.Wants(PersistedRecordKind.Audit))
        {
            all.AddRange((await backend.ReadAuditsAsync(filter, cancellationToken).ConfigureAwait(false)).Records);
        }

        if (request.Wants(PersistedRecordKind.DeadLetter))
        {
            all.AddRange((await backend.ReadDeadLettersAsync(filter, cancellationToken).ConfigureAwait(false)).Records);
        }

        // The list reads give each kind in store order; merged by timestamp, stable.
        PersistedRecord[] ordered = [.. all.Where(request.Matches).OrderBy(r => r.Timestamp)];
        long start = 0;
        long end = ordered.Length;
        if (request.After is { } after)
        {
            ulong[] parts = new ulong[1];
            if (after.Scheme != ListScheme || !after.TryGetParts(parts) || parts[0] < 1 || parts[0] > (ulong)ordered.Length)
            {
                throw new PersistencePositionException($"The position '{after}' does not belong to this {backend.Name} store.");
            }

            if (request.Order == PersistenceReadOrder.OldestFirst)
            {
                start = (long)parts[0];
            }
            else
            {
                end = (long)parts[0] - 1;
            }
        }

        if (request.Limit is { } limit)
        {
            start = Math.Max(start, end - limit);
        }

        for (long n = 0; n < end - start; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long i = request.Order == PersistenceReadOrder.OldestFirst ? start + n : end - 1 - n;
            // A position names the record it follows (index + 1), whichever the order.
            yield return new StoredRecord(ordered[i], new PersistencePosition(ListScheme, ((ulong)(i + 1)).ToString("x", CultureInfo.InvariantCulture)));
        }
    }
}
