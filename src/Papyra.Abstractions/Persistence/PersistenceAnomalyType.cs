namespace Papyra.Persistence;

/// <summary>What kind of damage a scan found. JSON output spells these by name (for example <c>TruncatedLine</c>).</summary>
public enum PersistenceAnomalyType
{
    /// <summary>The last line of a file has no terminating newline: typically a write interrupted by a crash.</summary>
    TruncatedLine = 1,

    /// <summary>A file of the store could not be read fully (an I/O error, a directory in its place, no permission).</summary>
    PartialWrite = 2,

    /// <summary>A line that is not parseable JSON: blank, invalid UTF-8, NUL bytes, too long, or malformed.</summary>
    CorruptedLine = 3,

    /// <summary>A file beside a rotating store whose name starts with the store's name but is not part of the rotation set.</summary>
    OrphanedRotatedFile = 4,

    /// <summary>A file where the store expects none.</summary>
    UnexpectedFile = 5,

    /// <summary>Valid JSON that is not a valid record: not an object, no <c>kind</c>, an unknown <c>kind</c>, or a missing or non-numeric <c>timestamp</c>.</summary>
    InvalidRecord = 6,

    /// <summary>An entry of a remote store (for example a Redis stream entry) that cannot be decoded.</summary>
    UndecodableEntry = 7,
}
