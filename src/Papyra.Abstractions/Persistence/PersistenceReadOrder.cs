namespace Papyra.Persistence;

/// <summary>The order a streaming read yields records in.</summary>
public enum PersistenceReadOrder
{
    /// <summary>Oldest record first (the order records were appended).</summary>
    OldestFirst = 0,

    /// <summary>
    /// Newest record first. Backends read from the end without reading the whole store (files
    /// backwards by blocks, Redis with <c>XREVRANGE</c>), so the newest few records cost the same
    /// whatever the store's size.
    /// </summary>
    NewestFirst = 1,
}
