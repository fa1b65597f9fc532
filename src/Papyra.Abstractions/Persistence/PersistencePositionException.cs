namespace Papyra.Persistence;

/// <summary>
/// A read was asked to resume after a position the store no longer has: compaction or recovery
/// rewrote the file it points into, rotation deleted it, or it belongs to another store. The reader
/// must choose where to start again (the oldest record, or the newest); it is never resumed silently
/// at a wrong place.
/// </summary>
public sealed class PersistencePositionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PersistencePositionException()
        : base("The store position is no longer valid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">One sentence naming the position and why it is invalid.</param>
    public PersistencePositionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">One sentence naming the position and why it is invalid.</param>
    /// <param name="innerException">The cause.</param>
    public PersistencePositionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
