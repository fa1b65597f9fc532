namespace Papyra;

/// <summary>An actor failed: a message handler or a lifecycle method threw.</summary>
/// <param name="Address">The actor.</param>
/// <param name="Timestamp">When, in Unix epoch seconds.</param>
/// <param name="Error">The exception, with its original type and message.</param>
/// <param name="Reason">The exception as <c>Type: message</c>.</param>
public sealed record ActorCrashed(ActorAddress Address, double Timestamp, Exception Error, string Reason) : ActorEvent(Address, Timestamp)
{
    /// <inheritdoc/>
    public override string EventType => nameof(ActorCrashed);
}
