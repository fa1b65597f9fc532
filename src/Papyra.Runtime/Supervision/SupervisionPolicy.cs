using System.Globalization;

namespace Papyra;

/// <summary>
/// How an actor is supervised when it fails: a <see cref="SupervisionStrategy"/> and, for
/// <see cref="SupervisionStrategy.Restart"/>, a limit of <see cref="MaxRestarts"/> restarts within
/// <see cref="Within"/>. The failure that would exceed the limit stops the actor instead.
/// </summary>
public sealed record SupervisionPolicy
{
    private readonly int _maxRestarts = 3;
    private readonly TimeSpan _within = TimeSpan.FromSeconds(60);

    /// <summary>Creates a policy.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="maxRestarts">Restarts allowed within <paramref name="within"/>; 0 or more (default 3).</param>
    /// <param name="within">The sliding window restarts are counted in; positive (default 60 seconds).</param>
    public SupervisionPolicy(SupervisionStrategy strategy = SupervisionStrategy.Stop, int maxRestarts = 3, TimeSpan? within = null)
    {
        Strategy = strategy;
        MaxRestarts = maxRestarts;
        Within = within ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>The policy unnamed actors get: stop on failure.</summary>
    public static SupervisionPolicy Stop { get; } = new(SupervisionStrategy.Stop);

    /// <summary>The policy named actors get: restart, at most 3 times in 60 seconds.</summary>
    public static SupervisionPolicy Restart { get; } = new(SupervisionStrategy.Restart);

    /// <summary>Escalate every failure to the parent.</summary>
    public static SupervisionPolicy Escalate { get; } = new(SupervisionStrategy.Escalate);

    /// <summary>Keep the actor and drop the failing message.</summary>
    public static SupervisionPolicy Resume { get; } = new(SupervisionStrategy.Resume);

    /// <summary>The strategy applied when the parent has no opinion.</summary>
    public SupervisionStrategy Strategy { get; init; }

    /// <summary>Restarts allowed within <see cref="Within"/>; 0 never restarts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRestarts
    {
        get => _maxRestarts;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxRestarts), value, $"MaxRestarts must be 0 or more, not {value.ToString(CultureInfo.InvariantCulture)}.");
            }

            _maxRestarts = value;
        }
    }

    /// <summary>The sliding window in which restarts are counted, measured on the monotonic clock of <see cref="ActorSystemOptions.TimeProvider"/> (not its wall time).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan Within
    {
        get => _within;
        init
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(Within), value, $"Within must be a positive duration, not {value}.");
            }

            _within = value;
        }
    }
}
