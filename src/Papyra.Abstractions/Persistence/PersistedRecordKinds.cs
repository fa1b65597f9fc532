using System.Diagnostics.CodeAnalysis;

namespace Papyra.Persistence;

/// <summary>The wire names of <see cref="PersistedRecordKind"/>, as stored in the <c>kind</c> field.</summary>
public static class PersistedRecordKinds
{
    /// <summary>The wire name of <see cref="PersistedRecordKind.Event"/>.</summary>
    public const string Event = "event";

    /// <summary>The wire name of <see cref="PersistedRecordKind.Audit"/>.</summary>
    public const string Audit = "audit";

    /// <summary>The wire name of <see cref="PersistedRecordKind.DeadLetter"/>.</summary>
    public const string DeadLetter = "dead_letter";

    /// <summary>Returns the wire name of a kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The wire name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    public static string ToWireName(PersistedRecordKind kind) => kind switch
    {
        PersistedRecordKind.Event => Event,
        PersistedRecordKind.Audit => Audit,
        PersistedRecordKind.DeadLetter => DeadLetter,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown record kind {kind}."),
    };

    /// <summary>Parses a wire name (exact, case-sensitive).</summary>
    /// <param name="wireName">The value of a record's <c>kind</c> field.</param>
    /// <param name="kind">The kind, when recognised.</param>
    /// <returns><see langword="true"/> when <paramref name="wireName"/> is one of the three kinds.</returns>
    public static bool TryParse([NotNullWhen(true)] string? wireName, out PersistedRecordKind kind)
    {
        switch (wireName)
        {
            case Event: kind = PersistedRecordKind.Event; return true;
            case Audit: kind = PersistedRecordKind.Audit; return true;
            case DeadLetter: kind = PersistedRecordKind.DeadLetter; return true;
            default: kind = default; return false;
        }
    }
}
