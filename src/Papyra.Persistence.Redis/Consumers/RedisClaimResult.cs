namespace Papyra.Persistence.Redis.Consumers;

/// <summary>What <see cref="RedisStreamConsumer.ClaimIdleAsync"/> took over from idle consumers.</summary>
/// <param name="Claimed">Entries now owned by this consumer, to process and acknowledge.</param>
/// <param name="DeadLettered">Entries that exceeded the delivery limit: moved to the dead-letter stream and acknowledged.</param>
/// <param name="Deleted">Pending entries that no longer exist in the stream (trimmed or deleted); Redis dropped them from the pending list.</param>
public sealed record RedisClaimResult(IReadOnlyList<RedisStreamEntry> Claimed, IReadOnlyList<string> DeadLettered, IReadOnlyList<string> Deleted);
