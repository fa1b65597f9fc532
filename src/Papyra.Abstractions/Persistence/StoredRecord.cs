namespace Papyra.Persistence;

/// <summary>A record yielded by a streaming read, with the position just after it.</summary>
public sealed record StoredRecord
{
    // A backend that yields millions of records gives the position's numbers; the position object
    // is made when first asked for (most consumers ask for few of them).
    private readonly string? _scheme;
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;
    private PersistencePosition? _position;

    /// <summary>A record yielded by a streaming read, with the position just after it.</summary>
    /// <param name="Record">The record.</param>
    /// <param name="Position">Where a later read resumes to get the records after this one (<see cref="PersistenceReadRequest.After"/>).</param>
    public StoredRecord(PersistedRecord Record, PersistencePosition Position)
    {
        this.Record = Record;
        _position = Position;
    }

    // A position of four numbers (PersistencePosition(string, ReadOnlySpan<ulong>)), made when asked for.
    internal StoredRecord(PersistedRecord record, string scheme, ulong a, ulong b, ulong c, ulong d)
    {
        Record = record;
        _scheme = scheme;
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    /// <summary>The record.</summary>
    public PersistedRecord Record { get; init; }

    /// <summary>Where a later read resumes to get the records after this one (<see cref="PersistenceReadRequest.After"/>).</summary>
    public PersistencePosition Position
    {
        get => _position ??= new PersistencePosition(_scheme!, [_a, _b, _c, _d]);
        init => _position = value;
    }

    /// <summary>Deconstructs into the record and its position.</summary>
    /// <param name="Record">The record.</param>
    /// <param name="Position">The position just after it.</param>
    public void Deconstruct(out PersistedRecord Record, out PersistencePosition Position)
    {
        Record = this.Record;
        Position = this.Position;
    }

    /// <summary>The same record at the same position.</summary>
    /// <param name="other">The other stored record.</param>
    /// <returns><see langword="true"/> when both record and position are equal.</returns>
    public bool Equals(StoredRecord? other)
        => ReferenceEquals(this, other)
            || (other is not null && EqualityComparer<PersistedRecord>.Default.Equals(Record, other.Record) && EqualityComparer<PersistencePosition>.Default.Equals(Position, other.Position));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Record, Position);
}
