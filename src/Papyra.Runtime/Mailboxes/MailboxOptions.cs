using System.Globalization;

namespace Papyra;

/// <summary>An actor's mailbox: unbounded by default, or bounded with an overflow policy.</summary>
public sealed record MailboxOptions
{
    private readonly int? _capacity;

    /// <summary>The default: an unbounded mailbox, where <see cref="ActorRef.Tell(object)"/> never blocks.</summary>
    public static MailboxOptions Unbounded { get; } = new();

    /// <summary>The most messages the mailbox holds; <see langword="null"/> means unbounded.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? Capacity
    {
        get => _capacity;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Capacity), value, $"A mailbox capacity must be 1 or more (or null for unbounded), not {value.Value.ToString(CultureInfo.InvariantCulture)}.");
            }

            _capacity = value;
        }
    }

    /// <summary>What happens to a message that arrives when a bounded mailbox is full.</summary>
    public MailboxOverflowPolicy OverflowPolicy { get; init; } = MailboxOverflowPolicy.Wait;

    /// <summary>Creates a bounded mailbox configuration.</summary>
    /// <param name="capacity">The most messages the mailbox holds; 1 or more.</param>
    /// <param name="overflowPolicy">What happens when it is full.</param>
    /// <returns>The options.</returns>
    public static MailboxOptions Bounded(int capacity, MailboxOverflowPolicy overflowPolicy = MailboxOverflowPolicy.Wait)
        => new() { Capacity = capacity, OverflowPolicy = overflowPolicy };
}
