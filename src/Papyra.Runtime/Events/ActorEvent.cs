using System.Text.Json.Serialization;
using Papyra.Shared.Time;

namespace Papyra;

/// <summary>
/// A lifecycle fact about one actor. Every event is kept in <see cref="ActorSystem.GetRecentEvents"/>, sent
/// to <see cref="ISystemHooks.OnEventAsync(ActorEvent, CancellationToken)"/> and persisted.
/// </summary>
/// <param name="Address">The actor the event is about.</param>
/// <param name="Timestamp">When it happened, in Unix epoch seconds from the system's <see cref="TimeProvider"/>.</param>
public abstract record ActorEvent(ActorAddress Address, double Timestamp)
{
    /// <summary>The event type name as persisted (<c>event_type</c>), for example <c>ActorStarted</c>.</summary>
    public abstract string EventType { get; }

    /// <summary>The event's position in its system's event sequence, starting at 1.</summary>
    public long Sequence { get; internal set; }

    /// <summary><see cref="Timestamp"/> as an instant in UTC, to the tick.</summary>
    [JsonIgnore]
    public DateTimeOffset Time => UnixSeconds.ToDateTimeOffset(Timestamp);
}
