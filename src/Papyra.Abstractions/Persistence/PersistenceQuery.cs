using System.Globalization;
using Papyra.Shared.Time;

namespace Papyra.Persistence;

/// <summary>Filters for reading stored records. Every filter is optional; filters combine with AND.</summary>
public sealed record PersistenceQuery
{
    private readonly int? _limit;
    private readonly double? _since;

    /// <summary>A query that keeps everything retention keeps.</summary>
    public static PersistenceQuery All { get; } = new();

    /// <summary>Keep only the <c>Limit</c> most recent matching records (still returned oldest first); 1 or greater.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? Limit
    {
        get => _limit;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Limit), value, $"Invalid limit {value.Value.ToString(CultureInfo.InvariantCulture)}: it must be 1 or greater.");
            }

            _limit = value;
        }
    }

    /// <summary>Keep records whose timestamp (Unix epoch seconds) is at or after this value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public double? Since
    {
        get => _since;
        init
        {
            if (value is { } v && !double.IsFinite(v))
            {
                throw new ArgumentOutOfRangeException(nameof(Since), value, $"Invalid since {v.ToString(CultureInfo.InvariantCulture)}: it must be a finite number of Unix seconds.");
            }

            _since = value;
        }
    }

    /// <summary><see cref="Since"/> as an instant: keep records produced at or after it.</summary>
    public DateTimeOffset? SinceTime
    {
        get => _since is { } since ? UnixSeconds.ToDateTimeOffset(since) : null;
        init => _since = value is { } time ? UnixSeconds.FromDateTimeOffset(time) : null;
    }

    /// <summary>Keep records about this actor: the event's <c>actor_address</c> or the dead letter's <c>target</c>. Ignored for audits.</summary>
    public ActorAddress? Actor { get; init; }

    /// <summary>Keep records of this type, matched exactly: the event's <c>event_type</c> or the dead letter's <c>message_type</c>. Ignored for audits.</summary>
    public string? Type { get; init; }
}
