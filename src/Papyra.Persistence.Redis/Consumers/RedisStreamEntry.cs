namespace Papyra.Persistence.Redis.Consumers;

/// <summary>An entry delivered to a consumer. Acknowledge it with <see cref="RedisStreamConsumer.AckAsync"/> once processed.</summary>
/// <param name="Id">The stream entry id.</param>
/// <param name="Record">The decoded record.</param>
/// <param name="DeliveryCount">How many times the group has delivered this entry, this delivery included.</param>
public sealed record RedisStreamEntry(string Id, PersistedRecord Record, long DeliveryCount);
