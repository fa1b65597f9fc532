namespace Papyra.Testing;

/// <summary>A clock that only moves when told to, for deterministic age-retention tests.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now;

    /// <summary>Creates a clock at <paramref name="start"/> (by default 2023-11-14T22:13:20Z, Unix time 1,700,000,000).</summary>
    /// <param name="start">The initial time.</param>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    }

    /// <summary>The current time in Unix epoch seconds.</summary>
    public double UnixSeconds => (GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward.</summary>
    /// <param name="delta">How far; must not be negative.</param>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_lock)
        {
            _now += delta;
        }
    }
}
