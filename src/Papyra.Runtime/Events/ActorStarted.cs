namespace Papyra;

/// <summary>An actor's <see cref="Actor.OnStartAsync(CancellationToken)"/> completed; it now processes messages.</summary>
/// <param name="Address">The actor.</param>
/// <param name="Timestamp">When, in Unix epoch seconds.</param>
public sealed record ActorStarted(ActorAddress Address, double Timestamp) : ActorEvent(Address, Timestamp)
{
    /// <inheritdoc/>
    public override string EventType => nameof(ActorStarted);
}
