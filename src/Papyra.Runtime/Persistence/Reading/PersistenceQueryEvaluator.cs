namespace Papyra.Persistence.Reading;

/// <summary>Applies a <see cref="PersistenceQuery"/> the same way in every backend.</summary>
[PapyraInternal]
public static class PersistenceQueryEvaluator
{
    /// <summary>Whether a record passes the query's filters (everything but <see cref="PersistenceQuery.Limit"/>).</summary>
    /// <param name="record">The record.</param>
    /// <param name="query">The query; <see langword="null"/> matches everything.</param>
    /// <returns><see langword="true"/> when the record matches.</returns>
    public static bool Matches(PersistedRecord record, PersistenceQuery? query)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (query is null)
        {
            return true;
        }

        if (query.Since is { } since && record.Timestamp < since)
        {
            return false;
        }

        return record switch
        {
            PersistedEvent e => (query.Actor is not { } actor || e.ActorAddress == actor)
                && (query.Type is not { } type || string.Equals(e.EventType, type, StringComparison.Ordinal)),
            PersistedDeadLetter d => (query.Actor is not { } actor || d.Target == actor)
                && (query.Type is not { } type || string.Equals(d.MessageType, type, StringComparison.Ordinal)),
            _ => true,
        };
    }

    /// <summary>Filters records (oldest first) by the query and keeps the <see cref="PersistenceQuery.Limit"/> most recent.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records after retention, oldest first.</param>
    /// <param name="query">The query; <see langword="null"/> matches everything.</param>
    /// <returns>The matching records, oldest first.</returns>
    public static IReadOnlyList<T> Apply<T>(IEnumerable<T> records, PersistenceQuery? query)
        where T : PersistedRecord
    {
        ArgumentNullException.ThrowIfNull(records);
        if (query?.Limit is not { } limit)
        {
            return [.. records.Where(r => Matches(r, query))];
        }

        // Keep only the newest `limit` matches: bounded memory however long the input is.
        var window = new Queue<T>(Math.Min(limit, 1024));
        foreach (T record in records)
        {
            if (!Matches(record, query))
            {
                continue;
            }

            if (window.Count == limit)
            {
                window.Dequeue();
            }

            window.Enqueue(record);
        }

        return [.. window];
    }
}
