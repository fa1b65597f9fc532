namespace Papyra.Persistence;

/// <summary>How many records a store holds, per kind, after retention; counted without materialising any.</summary>
/// <param name="Events">Valid event records.</param>
/// <param name="Audits">Valid audit records.</param>
/// <param name="DeadLetters">Valid dead-letter records.</param>
/// <param name="Skipped">Damaged lines or entries that are not records (what a scan reports).</param>
public sealed record PersistenceRecordCounts(long Events, long Audits, long DeadLetters, long Skipped)
{
    /// <summary>Every valid record.</summary>
    public long Total => Events + Audits + DeadLetters;
}
