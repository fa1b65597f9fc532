namespace Papyra.Persistence;

/// <summary>The kind of a stored record: the value of its <c>kind</c> field.</summary>
public enum PersistedRecordKind
{
    /// <summary>A lifecycle event (<c>"event"</c>).</summary>
    Event = 0,

    /// <summary>An audit snapshot (<c>"audit"</c>).</summary>
    Audit = 1,

    /// <summary>A dead letter (<c>"dead_letter"</c>).</summary>
    DeadLetter = 2,
}
