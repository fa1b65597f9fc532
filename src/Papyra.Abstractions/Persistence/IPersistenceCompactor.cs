namespace Papyra.Persistence;

/// <summary>A backend that can physically apply its retention policy.</summary>
public interface IPersistenceCompactor
{
    /// <summary>
    /// Rewrites the store atomically keeping only what <see cref="IPersistenceBackend.Retention"/>
    /// keeps. An interrupted compaction leaves either the old or the new store complete.
    /// </summary>
    /// <param name="cancellationToken">Cancels the compaction before the new store replaces the old one.</param>
    /// <returns>Record and byte counts before and after.</returns>
    ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken = default);
}
