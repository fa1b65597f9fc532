using System.Globalization;
using Papyra.Shared.Time;

namespace Papyra.Persistence;

/// <summary>
/// What a streaming read (<see cref="IPersistenceStreamReader.ReadAsync"/>) yields: the records of
/// the wanted kinds that match the filters, after retention, in the requested order. The
/// filters are those of <see cref="PersistenceQuery"/> plus <see cref="Until"/>,
/// <see cref="Kinds"/>, <see cref="Order"/> and <see cref="After"/>.
/// </summary>
public sealed record PersistenceReadRequest
{
    private readonly int? _limit;
    private readonly double? _since;
    private readonly double? _until;

    /// <summary>Every record of every kind, oldest first.</summary>
    public static PersistenceReadRequest All { get; } = new();

    /// <summary>The record kinds wanted; <see langword="null"/> (or empty) for all three.</summary>
    public IReadOnlyCollection<PersistedRecordKind>? Kinds { get; init; }

    /// <summary>
    /// At most this many records: the newest matching ones, yielded in <see cref="Order"/> (1 or
    /// greater; <see langword="null"/> for all). Newest first, a backend stops reading after them.
    /// </summary>
    public int? Limit
    {
        get => _limit;
        init => _limit = value is < 1
            ? throw new ArgumentOutOfRangeException(nameof(Limit), value, $"Invalid limit {value.Value.ToString(CultureInfo.InvariantCulture)}: it must be 1 or greater.")
            : value;
    }

    /// <summary>Only records with a timestamp at or after this (Unix seconds).</summary>
    public double? Since
    {
        get => _since;
        init => _since = CheckTime(value, nameof(Since));
    }

    /// <summary>Only records with a timestamp at or before this (Unix seconds).</summary>
    public double? Until
    {
        get => _until;
        init => _until = CheckTime(value, nameof(Until));
    }

    /// <summary><see cref="Since"/> as an instant: only records produced at or after it.</summary>
    public DateTimeOffset? SinceTime
    {
        get => _since is { } since ? UnixSeconds.ToDateTimeOffset(since) : null;
        init => _since = value is { } time ? UnixSeconds.FromDateTimeOffset(time) : null;
    }

    /// <summary><see cref="Until"/> as an instant: only records produced at or before it.</summary>
    public DateTimeOffset? UntilTime
    {
        get => _until is { } until ? UnixSeconds.ToDateTimeOffset(until) : null;
        init => _until = value is { } time ? UnixSeconds.FromDateTimeOffset(time) : null;
    }

    /// <summary>Only events of this actor and dead letters to it (audits have no actor and are never excluded by it).</summary>
    public ActorAddress? Actor { get; init; }

    /// <summary>Only events of this event type and dead letters of this message type (exact, case-sensitive).</summary>
    public string? Type { get; init; }

    /// <summary>The order records are yielded in; oldest first by default.</summary>
    public PersistenceReadOrder Order { get; init; } = PersistenceReadOrder.OldestFirst;

    /// <summary>
    /// Resume just after this position (one a read of the same store yielded): only the records
    /// after it in <see cref="Order"/> are read. An invalidated position throws
    /// <see cref="PersistencePositionException"/>.
    /// </summary>
    public PersistencePosition? After { get; init; }

    /// <summary>Where the backend counts the damaged lines or entries the read passed over; none by default.</summary>
    public PersistenceReadStatistics? Statistics { get; init; }

    /// <summary>The same filters as a list query (<see cref="PersistenceQuery"/>): limit, since, actor and type.</summary>
    /// <param name="query">The query; <see langword="null"/> for all records.</param>
    /// <param name="kind">The one kind wanted.</param>
    /// <returns>The request.</returns>
    public static PersistenceReadRequest From(PersistenceQuery? query, PersistedRecordKind kind) => new()
    {
        Kinds = [kind],
        Limit = query?.Limit,
        Since = query?.Since,
        Actor = query?.Actor,
        Type = query?.Type,
    };

    /// <summary>Whether a record of the wanted kind passes the filters (kind, since, until, actor, type); limit, order and position are the reader's.</summary>
    /// <param name="record">The record.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    public bool Matches(PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Wants(record.Kind) || (Since is { } since && record.Timestamp < since) || (Until is { } until && record.Timestamp > until))
        {
            return false;
        }

        return record switch
        {
            PersistedEvent e => (Actor is not { } actor || e.ActorAddress == actor) && (Type is not { } type || string.Equals(e.EventType, type, StringComparison.Ordinal)),
            PersistedDeadLetter d => (Actor is not { } actor || d.Target == actor) && (Type is not { } type || string.Equals(d.MessageType, type, StringComparison.Ordinal)),
            _ => true,
        };
    }

    /// <summary>Whether records of this kind are wanted at all.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when <see cref="Kinds"/> is unset, empty, or names it.</returns>
    public bool Wants(PersistedRecordKind kind) => Kinds is not { Count: > 0 } kinds || kinds.Contains(kind);

    private static double? CheckTime(double? value, string name)
        => value is { } v && !double.IsFinite(v)
            ? throw new ArgumentOutOfRangeException(name, value, $"Invalid {name.ToLowerInvariant()} {v.ToString(CultureInfo.InvariantCulture)}: it must be a finite number of Unix seconds.")
            : value;
}
