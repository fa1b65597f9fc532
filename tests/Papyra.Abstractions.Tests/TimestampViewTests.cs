using Papyra.Persistence;

namespace Papyra.Abstractions.Tests;

/// <summary>Timestamps are stored as Unix seconds; every one has a <see cref="DateTimeOffset"/> view, to the tick.</summary>
public sealed class TimestampViewTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, 125, TimeSpan.Zero);

    [Fact]
    public void A_records_time_is_its_timestamp_as_an_instant_in_utc()
    {
        var record = new PersistedEvent("local", null, "ActorStarted", null, Noon.ToUnixTimeMilliseconds() / 1000.0);

        Assert.Equal(Noon, record.Time);
        Assert.Equal(TimeSpan.Zero, record.Time.Offset);
        Assert.Equal(DateTimeOffset.MaxValue, new PersistedEvent("local", null, "ActorStarted", null, 1e300).Time);
    }

    [Fact]
    public void SinceTime_and_UntilTime_set_the_unix_second_bounds_and_filter_like_them()
    {
        var request = new PersistenceReadRequest
        {
            SinceTime = Noon,
            UntilTime = new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.FromHours(2)),
        };

        Assert.Equal(Noon.ToUnixTimeMilliseconds() / 1000.0, request.Since);
        Assert.Equal(Noon.ToUnixTimeSeconds() + 3600, request.Until);
        Assert.Equal(Noon, request.SinceTime);
        Assert.True(request.Matches(new PersistedEvent("local", null, "ActorStarted", null, request.Since!.Value)));
        Assert.False(request.Matches(new PersistedEvent("local", null, "ActorStarted", null, request.Since!.Value - 0.001)));
        Assert.False(request.Matches(new PersistedEvent("local", null, "ActorStarted", null, request.Until!.Value + 0.001)));
        Assert.Equal(new PersistenceQuery { Since = request.Since }, new PersistenceQuery { SinceTime = Noon });
        Assert.Null(new PersistenceQuery().SinceTime);
    }
}
