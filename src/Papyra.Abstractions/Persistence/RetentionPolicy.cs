using System.Globalization;

namespace Papyra.Persistence;

/// <summary>
/// How much history a store keeps. Every limit is optional: <see langword="null"/> means unlimited;
/// zero or a negative value is rejected. Reads apply the policy logically; compaction applies it physically.
/// </summary>
/// <remarks>
/// Limits apply in this order over the store's records, oldest first: age, then count, then total
/// bytes (kept newest first until the next record would exceed the limit).
/// </remarks>
public sealed record RetentionPolicy
{
    private readonly long? _maxRecords;
    private readonly double? _maxAgeSeconds;
    private readonly long? _maxTotalBytes;

    /// <summary>Creates a policy; every argument is optional.</summary>
    /// <param name="maxRecords">Keep at most this many of the most recent records (<c>max_records</c>).</param>
    /// <param name="maxAgeSeconds">Keep records no older than this many seconds (<c>max_age_seconds</c>).</param>
    /// <param name="maxTotalBytes">Keep the most recent records whose stored lines total at most this many UTF-8 bytes (<c>max_total_bytes</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero, negative, NaN or infinite.</exception>
    public RetentionPolicy(long? maxRecords = null, double? maxAgeSeconds = null, long? maxTotalBytes = null)
    {
        MaxRecords = maxRecords;
        MaxAgeSeconds = maxAgeSeconds;
        MaxTotalBytes = maxTotalBytes;
    }

    /// <summary>A policy that keeps everything.</summary>
    public static RetentionPolicy Unlimited { get; } = new();

    /// <summary>Keep at most this many of the most recent records; <see langword="null"/> for unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? MaxRecords
    {
        get => _maxRecords;
        init => _maxRecords = IsValidLimit(value) ? value : throw Invalid("max_records", value!.Value.ToString(CultureInfo.InvariantCulture), nameof(MaxRecords));
    }

    /// <summary>Keep records no older than this many seconds; <see langword="null"/> for unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero, negative, NaN or infinite.</exception>
    public double? MaxAgeSeconds
    {
        get => _maxAgeSeconds;
        init => _maxAgeSeconds = IsValidAge(value) ? value : throw Invalid("max_age_seconds", value!.Value.ToString(CultureInfo.InvariantCulture), nameof(MaxAgeSeconds));
    }

    /// <summary>Keep the most recent records totalling at most this many bytes; <see langword="null"/> for unlimited.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? MaxTotalBytes
    {
        get => _maxTotalBytes;
        init => _maxTotalBytes = IsValidLimit(value) ? value : throw Invalid("max_total_bytes", value!.Value.ToString(CultureInfo.InvariantCulture), nameof(MaxTotalBytes));
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a valid <see cref="MaxRecords"/> or <see cref="MaxTotalBytes"/>:
    /// <see langword="null"/> (unlimited) or greater than 0. The one rule every configuration source is checked
    /// against, so that a host or a tool can name its own setting in the error.
    /// </summary>
    /// <param name="value">The limit.</param>
    /// <returns>Whether a policy accepts it.</returns>
    public static bool IsValidLimit(long? value) => value is not <= 0;

    /// <summary>
    /// Whether <paramref name="value"/> is a valid <see cref="MaxAgeSeconds"/>: <see langword="null"/> (unlimited),
    /// or finite and greater than 0.
    /// </summary>
    /// <param name="value">The age limit in seconds.</param>
    /// <returns>Whether a policy accepts it.</returns>
    public static bool IsValidAge(double? value) => value is not { } v || (double.IsFinite(v) && v > 0);

    /// <summary>Whether the policy keeps everything.</summary>
    public bool IsUnlimited => _maxRecords is null && _maxAgeSeconds is null && _maxTotalBytes is null;

    private static ArgumentOutOfRangeException Invalid(string setting, string value, string parameter)
        => new(parameter, $"Invalid retention {setting} {value}: it must be a positive number, or null for unlimited.");
}
