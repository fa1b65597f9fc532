namespace Papyra;

/// <summary>An actor stopped for good: its name is free and messages to it become dead letters.</summary>
/// <param name="Address">The actor.</param>
/// <param name="Timestamp">When, in Unix epoch seconds.</param>
/// <param name="Reason">
/// Why: <c>stopped</c> (a stop was requested), <c>shutdown</c> (the system was disposed),
/// <c>failed</c> (supervision stopped it), <c>restart limit reached</c>, <c>restart failed</c>
/// (its factory threw), <c>parent stopped</c> or <c>parent restarting</c>.
/// </param>
public sealed record ActorStopped(ActorAddress Address, double Timestamp, string Reason) : ActorEvent(Address, Timestamp)
{
    /// <inheritdoc/>
    public override string EventType => nameof(ActorStopped);
}
