namespace Papyra.Persistence;

/// <summary>A record yielded by a streaming read, with the position just after it.</summary>
/// <param name="Record">The record.</param>
/// <param name="Position">Where a later read resumes to get the records after this one (<see cref="PersistenceReadRequest.After"/>).</param>
public sealed record StoredRecord(PersistedRecord Record, PersistencePosition Position);
