namespace Papyra.Shared.Time;

/// <summary>
/// Converts Papyra's timestamps (Unix epoch seconds, as stored in every record) to and from
/// <see cref="DateTimeOffset"/>, to the tick. Compiled into each assembly that offers
/// <see cref="DateTimeOffset"/> views of its timestamps (src/Shared/README.md).
/// </summary>
internal static class UnixSeconds
{
    private static readonly double MinSeconds = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
    private static readonly double MaxSeconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>The instant, in UTC; seconds beyond <see cref="DateTimeOffset"/>'s range give its min or max value.</summary>
    public static DateTimeOffset ToDateTimeOffset(double seconds)
    {
        if (double.IsNaN(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A timestamp must be a number of Unix epoch seconds.");
        }

        if (seconds <= MinSeconds)
        {
            return DateTimeOffset.MinValue;
        }

        if (seconds >= MaxSeconds)
        {
            return DateTimeOffset.MaxValue;
        }

        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (long)Math.Round(seconds * TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>The instant as Unix epoch seconds (what records store).</summary>
    public static double FromDateTimeOffset(DateTimeOffset time)
        => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
