namespace Papyra.Persistence.Serialization;

/// <summary>Why a stored line is not a valid record (SPEC §7.1 "Record validity").</summary>
public enum RecordLineProblem
{
    /// <summary>The line is a valid record.</summary>
    None = 0,

    /// <summary>The line is empty or holds only whitespace (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    Blank,

    /// <summary>The line contains a NUL byte (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    NulByte,

    /// <summary>The line is not valid UTF-8 (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    InvalidUtf8,

    /// <summary>The line starts with a UTF-8 byte order mark (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    ByteOrderMark,

    /// <summary>The line is longer than the store's maximum line length (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    TooLong,

    /// <summary>The line is not parseable JSON (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    MalformedJson,

    /// <summary>The line is JSON but not an object (<see cref="PersistenceAnomalyType.InvalidRecord"/>).</summary>
    NotAnObject,

    /// <summary>The object has no string <c>kind</c> field (<see cref="PersistenceAnomalyType.InvalidRecord"/>).</summary>
    MissingKind,

    /// <summary>The <c>kind</c> is not <c>event</c>, <c>audit</c> or <c>dead_letter</c> (<see cref="PersistenceAnomalyType.InvalidRecord"/>).</summary>
    UnknownKind,

    /// <summary>The object has no <c>timestamp</c> field (<see cref="PersistenceAnomalyType.InvalidRecord"/>).</summary>
    MissingTimestamp,

    /// <summary>The <c>timestamp</c> is not a finite number (<see cref="PersistenceAnomalyType.InvalidRecord"/>).</summary>
    NonNumericTimestamp,

    /// <summary>The line is JSON nested deeper than the store's maximum nesting depth (<see cref="PersistenceAnomalyType.CorruptedLine"/>).</summary>
    TooDeep,
}
