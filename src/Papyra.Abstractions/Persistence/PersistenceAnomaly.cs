namespace Papyra.Persistence;

/// <summary>One piece of damage found by a scan.</summary>
/// <param name="Type">What kind of damage.</param>
/// <param name="Path">The file (or stream key) where it was found.</param>
/// <param name="Line">The 1-based line number, for line-oriented stores.</param>
/// <param name="Offset">The 0-based byte offset of the line's first byte (or the entry id's position), for line-oriented stores.</param>
/// <param name="Detail">A human-readable explanation.</param>
public sealed record PersistenceAnomaly(PersistenceAnomalyType Type, string Path, long? Line, long? Offset, string? Detail);
