namespace Papyra;

/// <summary>A failed actor was replaced by a fresh instance at the same address; its mailbox was kept.</summary>
/// <param name="Address">The actor.</param>
/// <param name="Timestamp">When, in Unix epoch seconds.</param>
/// <param name="Reason">Why (<c>actor restarted</c>).</param>
public sealed record ActorRestarted(ActorAddress Address, double Timestamp, string Reason) : ActorEvent(Address, Timestamp)
{
    /// <inheritdoc/>
    public override string EventType => nameof(ActorRestarted);
}
