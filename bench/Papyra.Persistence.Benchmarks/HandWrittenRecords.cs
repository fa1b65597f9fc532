using System.Text.Json;
using System.Text.Json.Serialization;
using Papyra.Persistence;

namespace Papyra.Persistence.Benchmarks;

/// <summary>
/// What a user would write by hand to log the same events as JSON lines: their own record type with
/// the format's field names, serialised by System.Text.Json's source generator.
/// </summary>
/// <param name="Kind">Always <c>event</c>.</param>
/// <param name="SystemId">The system id.</param>
/// <param name="ActorAddress">The actor.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Timestamp">Unix seconds.</param>
internal sealed record HandWrittenEvent(string Kind, string SystemId, HandWrittenAddress? ActorAddress, string EventType, JsonElement Payload, double Timestamp)
{
    /// <summary>The user's copy of a Papyra event.</summary>
    public static HandWrittenEvent From(PersistedEvent e) => new(
        "event",
        e.SystemId,
        e.ActorAddress is { } a ? new HandWrittenAddress(a.System, a.Id) : null,
        e.EventType,
        e.Payload,
        e.Timestamp);
}

/// <summary>An actor address as the user's type holds it.</summary>
/// <param name="System">The system.</param>
/// <param name="ActorId">The actor id.</param>
internal sealed record HandWrittenAddress(string System, long ActorId);

/// <summary>The source-generated serializer of the hand-written records (snake_case names).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HandWrittenEvent))]
internal sealed partial class HandWrittenContext : JsonSerializerContext;
