using System.Text.Json.Serialization;

namespace Papyra;

/// <summary>
/// Stands for the messages of one type sent to one actor after <see cref="ActorSystem.DisposeAsync"/>
/// began: each was refused at once and counted in <see cref="ActorSystem.DeadLetterCount"/>, and
/// together they are hooked and persisted as a single <see cref="DeadLetter"/> whose
/// <see cref="DeadLetter.Message"/> is this summary and whose <see cref="DeadLetter.MessageType"/>
/// is <c>DeadLetterSummary</c> (persisted payload: <c>{"message_type":…,"count":…,"first_timestamp":…}</c>).
/// </summary>
/// <remarks>
/// Clients that keep sending during a shutdown would otherwise make it write one record per
/// message for as long as they send; a summary per target and message type keeps the shutdown's
/// work bounded while every refused message stays counted.
/// </remarks>
/// <param name="MessageType">The type name of the refused messages.</param>
/// <param name="Count">How many messages were refused (1 or more).</param>
/// <param name="FirstTimestamp">When the first of them was refused, in Unix epoch seconds.</param>
public sealed record DeadLetterSummary(
    [property: JsonPropertyName("message_type")] string MessageType,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("first_timestamp")] double FirstTimestamp);
