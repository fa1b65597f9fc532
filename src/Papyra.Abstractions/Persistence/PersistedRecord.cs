using Papyra.Shared.Time;

namespace Papyra.Persistence;

/// <summary>A stored lifecycle fact: the common part of events, audits and dead letters.</summary>
public abstract record PersistedRecord
{
    /// <summary>Initialises the common fields.</summary>
    /// <param name="systemId">The id of the actor system that produced the record.</param>
    /// <param name="timestamp">When the record was produced, in Unix epoch seconds.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timestamp"/> is NaN or infinite.</exception>
    private protected PersistedRecord(string systemId, double timestamp)
    {
        ArgumentNullException.ThrowIfNull(systemId);
        if (!double.IsFinite(timestamp))
        {
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, "A record timestamp must be a finite number of Unix epoch seconds.");
        }

        SystemId = systemId;
        Timestamp = timestamp;
    }

    /// <summary>The record's kind (the <c>kind</c> field).</summary>
    public abstract PersistedRecordKind Kind { get; }

    /// <summary>The id of the actor system that produced the record (<c>system_id</c>).</summary>
    public string SystemId { get; }

    /// <summary>When the record was produced, in Unix epoch seconds (<c>timestamp</c>).</summary>
    public double Timestamp { get; }

    /// <summary>
    /// <see cref="Timestamp"/> as an instant in UTC, to the tick (a damaged store's timestamp beyond
    /// <see cref="DateTimeOffset"/>'s range reads as its min or max value).
    /// </summary>
    public DateTimeOffset Time => UnixSeconds.ToDateTimeOffset(Timestamp);
}
