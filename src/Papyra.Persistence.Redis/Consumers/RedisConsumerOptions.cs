using System.Globalization;

namespace Papyra.Persistence.Redis.Consumers;

/// <summary>Who a <see cref="RedisStreamConsumer"/> is within its consumer group and how it reads.</summary>
public sealed record RedisConsumerOptions
{
    /// <summary>Creates consumer options.</summary>
    /// <param name="group">The consumer group (shared by every instance of one external reader, e.g. <c>log-shipper</c>).</param>
    /// <param name="consumer">This instance's name within the group (unique per process, stable across restarts so it re-reads its own pending entries).</param>
    /// <exception cref="ArgumentException">A name is empty or contains whitespace.</exception>
    public RedisConsumerOptions(string group, string consumer)
    {
        Group = RequireName(group, nameof(group));
        Consumer = RequireName(consumer, nameof(consumer));
    }

    /// <summary>The consumer group.</summary>
    public string Group { get; }

    /// <summary>This consumer's name within the group.</summary>
    public string Consumer { get; }

    /// <summary>How many entries one read or one claim step returns at most; 100 by default.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>
    /// How many deliveries an entry may have before it counts as poison and is moved to the group's
    /// dead-letter stream (<see cref="RedisStreamKeys.DeadLetters"/>) and acknowledged; 5 by default.
    /// </summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>
    /// Where a newly created group starts: <c>0</c> (the default) delivers the whole stream,
    /// <c>$</c> only entries added after the group was created.
    /// </summary>
    public string StartId { get; init; } = "0";

    internal void Validate()
    {
        if (BatchSize < 1)
        {
            throw new ArgumentException($"Invalid consumer options: BatchSize {BatchSize.ToString(CultureInfo.InvariantCulture)} must be 1 or greater.", nameof(BatchSize));
        }

        if (MaxDeliveries < 1)
        {
            throw new ArgumentException($"Invalid consumer options: MaxDeliveries {MaxDeliveries.ToString(CultureInfo.InvariantCulture)} must be 1 or greater.", nameof(MaxDeliveries));
        }

        if (string.IsNullOrWhiteSpace(StartId))
        {
            throw new ArgumentException("Invalid consumer options: StartId is empty (use 0 or $).", nameof(StartId));
        }
    }

    private static string RequireName(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (name.Length == 0 || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Invalid consumer {parameter} '{name}': it must be non-empty and without whitespace.", parameter);
        }

        return name;
    }
}
