using System.Diagnostics.CodeAnalysis;

namespace Papyra.Persistence.Configuration;

/// <summary>
/// The text names of persistence modes as operators type them in command lines,
/// configuration files and environment variables: snake_case (<c>fail_on_anomaly</c>), parsed
/// case-insensitively with <c>-</c> and <c>_</c> equivalent (<c>Fail-On-Anomaly</c> is accepted).
/// </summary>
internal static class PersistenceOptionNames
{
    private static readonly (string Name, PersistenceStartupMode Value)[] StartupModes =
    [
        ("fail_on_anomaly", PersistenceStartupMode.FailOnAnomaly),
        ("ignore", PersistenceStartupMode.Ignore),
        ("recover", PersistenceStartupMode.Recover),
    ];

    private static readonly (string Name, PersistenceRecoveryMode Value)[] RecoveryModes =
    [
        ("ignore", PersistenceRecoveryMode.Ignore),
        ("repair", PersistenceRecoveryMode.Repair),
        ("quarantine", PersistenceRecoveryMode.Quarantine),
    ];

    /// <summary>Every startup mode name, in the order help texts list them.</summary>
    public static IReadOnlyList<string> StartupModeNames { get; } = [.. StartupModes.Select(m => m.Name)];

    /// <summary>Every recovery mode name, in the order help texts list them.</summary>
    public static IReadOnlyList<string> RecoveryModeNames { get; } = [.. RecoveryModes.Select(m => m.Name)];

    /// <summary>Parses a startup mode name (<c>fail_on_anomaly</c>, <c>ignore</c>, <c>recover</c>).</summary>
    /// <param name="text">The text to parse; case and <c>-</c>/<c>_</c> do not matter.</param>
    /// <param name="mode">The parsed mode.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a mode.</returns>
    public static bool TryParseStartupMode([NotNullWhen(true)] string? text, out PersistenceStartupMode mode) => TryParse(StartupModes, text, out mode);

    /// <summary>Parses a recovery mode name (<c>ignore</c>, <c>repair</c>, <c>quarantine</c>).</summary>
    /// <param name="text">The text to parse; case and <c>-</c>/<c>_</c> do not matter.</param>
    /// <param name="mode">The parsed mode.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> names a mode.</returns>
    public static bool TryParseRecoveryMode([NotNullWhen(true)] string? text, out PersistenceRecoveryMode mode) => TryParse(RecoveryModes, text, out mode);


    /// <summary>The canonical name of a startup mode, e.g. <c>fail_on_anomaly</c>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Its snake_case name.</returns>
    public static string ToName(PersistenceStartupMode mode) => NameOf(StartupModes, mode);

    /// <summary>The canonical name of a recovery mode, e.g. <c>repair</c>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Its snake_case name.</returns>
    public static string ToName(PersistenceRecoveryMode mode) => NameOf(RecoveryModes, mode);


    private static bool TryParse<T>((string Name, T Value)[] table, string? text, out T value)
        where T : struct, Enum
    {
        if (text is not null)
        {
            string normalised = text.Trim().Replace('-', '_');
            foreach ((string name, T candidate) in table)
            {
                if (string.Equals(name, normalised, StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    private static string NameOf<T>((string Name, T Value)[] table, T value)
        where T : struct, Enum
    {
        foreach ((string name, T candidate) in table)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"Unknown {typeof(T).Name} value {value}.");
    }
}
