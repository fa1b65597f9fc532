namespace Papyra.Persistence;

/// <summary>How durable a completed write is.</summary>
public enum PersistenceDurability
{
    /// <summary>Writes are buffered by the process and the operating system; a crash may lose recent records.</summary>
    None = 0,

    /// <summary>Each record is handed to the operating system when written; a process crash loses nothing, a machine crash may.</summary>
    Flush = 1,

    /// <summary>
    /// A write completes only once it is on stable storage. Concurrent writers share one fsync
    /// (group commit), so throughput stays high. The default.
    /// </summary>
    Fsync = 2,
}
