namespace Papyra.Persistence.Redis.Consumers;

/// <summary>The pending (delivered, not acknowledged) entries of a consumer group (<c>XPENDING</c> summary).</summary>
/// <param name="Count">Pending entries in all.</param>
/// <param name="LowestId">The oldest pending entry id, when any.</param>
/// <param name="HighestId">The newest pending entry id, when any.</param>
/// <param name="PerConsumer">Pending entries per consumer name.</param>
public sealed record RedisPendingSummary(long Count, string? LowestId, string? HighestId, IReadOnlyDictionary<string, long> PerConsumer);
