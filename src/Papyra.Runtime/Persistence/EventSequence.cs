namespace Papyra.Persistence;

/// <summary>
/// The counter that numbers a system's events (<see cref="ActorEvent.Sequence"/>), shared with a
/// store that orders its lines by it (<see cref="IInlineEventAppender.TryAttachSequence"/>).
/// </summary>
internal sealed class EventSequence
{
    /// <summary>The last number handed out (0: none yet); incremented atomically.</summary>
    public long Value;
}
