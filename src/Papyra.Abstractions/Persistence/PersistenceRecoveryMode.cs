namespace Papyra.Persistence;

/// <summary>What recovery does with damage.</summary>
public enum PersistenceRecoveryMode
{
    /// <summary>Report only; change nothing.</summary>
    Ignore = 0,

    /// <summary>Keep every valid record byte-for-byte and move rejected content to a sidecar file (<c>&lt;file&gt;.rejected.&lt;epoch_ms&gt;</c>).</summary>
    Repair = 1,

    /// <summary>Move each damaged file aside intact (<c>&lt;file&gt;.quarantine.&lt;epoch_ms&gt;</c>) and start a clean one.</summary>
    Quarantine = 2,
}
