namespace Papyra;

/// <summary>An actor stopped for good: its name is free and messages to it become dead letters.</summary>
/// <param name="Address">The actor.</param>
/// <param name="Timestamp">When, in Unix epoch seconds.</param>
/// <param name="Reason">Why: <c>stopped</c>, <c>shutdown</c>, <c>failed</c> or <c>restart limit reached</c>.</param>
public sealed record ActorStopped(ActorAddress Address, double Timestamp, string Reason) : ActorEvent(Address, Timestamp)
{
    /// <inheritdoc/>
    public override string EventType => nameof(ActorStopped);
}
