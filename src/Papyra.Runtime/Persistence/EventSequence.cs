using System.Runtime.InteropServices;

namespace Papyra.Persistence;

/// <summary>
/// The counter that numbers a system's events (<see cref="ActorEvent.Sequence"/>), shared with a
/// store that orders its lines by it (<see cref="IInlineEventAppender.TryAttachSequence"/>).
/// </summary>
/// <remarks>
/// Every event increments it from whichever core emits it, so it has a cache line to itself: an
/// object allocated next to it would otherwise be invalidated on the other core at every event.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal sealed class EventSequence
{
    /// <summary>The last number handed out (0: none yet); incremented atomically.</summary>
    [FieldOffset(56)]
    public long Value;
}
