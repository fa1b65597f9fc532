namespace Papyra;

/// <summary>
/// Delivered to an actor's <see cref="Actor.ReceiveAsync(object, CancellationToken)"/>, exactly once,
/// when an actor it watches (<see cref="ActorContext.Watch(ActorRef)"/>) stops.
/// </summary>
/// <param name="Actor">The actor that stopped.</param>
public sealed record Terminated(ActorRef Actor);
