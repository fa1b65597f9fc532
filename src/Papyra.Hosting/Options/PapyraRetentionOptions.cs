using Papyra.Persistence;

namespace Papyra.Hosting;

/// <summary>
/// The retention limits bound from <c>Papyra:Retention</c>. Every limit is optional (<see langword="null"/>
/// means unlimited); zero or a negative value is rejected when the options are validated.
/// </summary>
public sealed class PapyraRetentionOptions
{
    /// <summary>Keep at most this many of the most recent records (<c>max_records</c>).</summary>
    public long? MaxRecords { get; set; }

    /// <summary>Keep records no older than this many seconds (<c>max_age_seconds</c>).</summary>
    public double? MaxAgeSeconds { get; set; }

    /// <summary>Keep the most recent records whose stored lines total at most this many UTF-8 bytes (<c>max_total_bytes</c>).</summary>
    public long? MaxTotalBytes { get; set; }

    /// <summary>Builds the policy these limits describe.</summary>
    /// <returns>The retention policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero, negative, NaN or infinite.</exception>
    public RetentionPolicy ToPolicy() => new(MaxRecords, MaxAgeSeconds, MaxTotalBytes);
}
