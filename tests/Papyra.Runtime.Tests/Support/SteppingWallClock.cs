using Microsoft.Extensions.Time.Testing;

namespace Papyra.Runtime.Tests.Support;

/// <summary>
/// A clock whose wall time (<see cref="GetUtcNow"/>) can be stepped back and forward, as NTP or a
/// resumed VM does, while its monotonic time (<see cref="GetTimestamp"/>, timers) only moves with
/// <see cref="Advance"/>.
/// </summary>
internal sealed class SteppingWallClock : TimeProvider
{
    private readonly FakeTimeProvider _monotonic = TestSystem.FakeClock();
    private TimeSpan _wallOffset;

    public override long TimestampFrequency => _monotonic.TimestampFrequency;

    /// <summary>Lets time pass: both clocks move forward.</summary>
    public void Advance(TimeSpan elapsed) => _monotonic.Advance(elapsed);

    /// <summary>Steps the wall clock alone (negative: back); the monotonic clock does not move.</summary>
    public void StepWallClock(TimeSpan step) => _wallOffset += step;

    public override DateTimeOffset GetUtcNow() => _monotonic.GetUtcNow() + _wallOffset;

    public override long GetTimestamp() => _monotonic.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => _monotonic.CreateTimer(callback, state, dueTime, period);
}
