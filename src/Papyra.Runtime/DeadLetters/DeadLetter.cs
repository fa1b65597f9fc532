using System.Text.Json.Serialization;
using Papyra.Shared.Time;

namespace Papyra;

/// <summary>A message that could not be processed.</summary>
/// <param name="Target">The address the message was sent to.</param>
/// <param name="Message">The message itself.</param>
/// <param name="MessageType">The message's type name.</param>
/// <param name="ExpectsReply">Whether the sender was waiting for a reply (it was an ask).</param>
/// <param name="Timestamp">When, in Unix epoch seconds.</param>
/// <param name="Reason">Why the message could not be processed.</param>
public sealed record DeadLetter(ActorAddress Target, object Message, string MessageType, bool ExpectsReply, double Timestamp, DeadLetterReason Reason)
{
    /// <summary><see cref="Timestamp"/> as an instant in UTC, to the tick.</summary>
    [JsonIgnore]
    public DateTimeOffset Time => UnixSeconds.ToDateTimeOffset(Timestamp);
}
