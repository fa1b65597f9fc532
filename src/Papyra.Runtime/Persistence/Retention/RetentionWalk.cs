namespace Papyra.Persistence.Retention;

/// <summary>What retention decides for one record met newest first (<see cref="RetentionWalk.Step"/>).</summary>
[PapyraInternal]
public enum RetentionStep
{
    /// <summary>The record is kept.</summary>
    Kept,

    /// <summary>The record is older than <see cref="RetentionPolicy.MaxAgeSeconds"/>; newer and older ones may still be kept.</summary>
    Dropped,

    /// <summary>The kept newest suffix is full: this record and every older one are dropped.</summary>
    Full,
}

/// <summary>
/// Retention walked newest first, one valid record at a time, with the rule of
/// <see cref="RetentionEvaluator"/>: records older than <c>max_age</c> are dropped one by one, and
/// <c>max_records</c>/<c>max_total_bytes</c> keep a newest suffix. Streaming readers use it to apply
/// retention without holding the store: reading backwards, they stop at <see cref="RetentionStep.Full"/>.
/// Not thread-safe; one walk per read.
/// </summary>
/// <param name="policy">The policy.</param>
/// <param name="now">The current time in Unix seconds (<see cref="RetentionEvaluator.UnixNow"/>).</param>
[PapyraInternal]
public sealed class RetentionWalk(RetentionPolicy policy, double now)
{
    private long _records = policy.MaxRecords ?? long.MaxValue;
    private long _bytes = policy.MaxTotalBytes ?? long.MaxValue;

    /// <summary>The oldest timestamp <c>max_age</c> keeps (negative infinity without one).</summary>
    public double Oldest { get; } = policy.MaxAgeSeconds is { } age ? now - age : double.NegativeInfinity;

    /// <summary>The time the walk was made for.</summary>
    public double Now => now;

    /// <summary>Whether the policy keeps only a newest suffix (<c>max_records</c> or <c>max_total_bytes</c>).</summary>
    public bool KeepsSuffix => policy.MaxRecords is not null || policy.MaxTotalBytes is not null;

    /// <summary>A walk of the same policy's age rule only: what applies past the kept suffix's start.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="now">The current time in Unix seconds.</param>
    /// <returns>The walk.</returns>
    public static RetentionWalk AgeOnly(RetentionPolicy policy, double now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(policy with { MaxRecords = null, MaxTotalBytes = null }, now);
    }

    /// <summary>Decides for the next record, newest first.</summary>
    /// <param name="timestamp">Its timestamp.</param>
    /// <param name="bytes">The bytes it counts against <c>max_total_bytes</c>.</param>
    /// <returns>What retention decides.</returns>
    public RetentionStep Step(double timestamp, long bytes)
    {
        if (timestamp < Oldest)
        {
            return RetentionStep.Dropped;
        }

        if (_records == 0 || bytes > _bytes)
        {
            return RetentionStep.Full;
        }

        _records--;
        _bytes -= bytes;
        return RetentionStep.Kept;
    }
}
