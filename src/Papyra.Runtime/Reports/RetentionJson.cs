using Papyra.Persistence;

namespace Papyra.Reports;

/// <summary>A retention policy as reports print it: <c>{max_records, max_age_seconds, max_total_bytes}</c>, <see langword="null"/> for no limit.</summary>
/// <param name="MaxRecords">Keep at most this many of the most recent records.</param>
/// <param name="MaxAgeSeconds">Keep records no older than this many seconds.</param>
/// <param name="MaxTotalBytes">Keep the most recent records totalling at most this many bytes.</param>
[PapyraInternal]
public sealed record RetentionJson(long? MaxRecords, double? MaxAgeSeconds, long? MaxTotalBytes)
{
    /// <summary>The report form of <paramref name="retention"/>.</summary>
    /// <param name="retention">The policy.</param>
    /// <returns>Its report form.</returns>
    public static RetentionJson From(RetentionPolicy retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        return new(retention.MaxRecords, retention.MaxAgeSeconds, retention.MaxTotalBytes);
    }
}
