using System.Diagnostics.CodeAnalysis;

namespace Papyra.Persistence;

/// <summary>
/// An opaque, serialisable place in a store: just after one record. Every record a streaming read
/// yields carries one (<see cref="StoredRecord.Position"/>); a read given it as
/// <see cref="PersistenceReadRequest.After"/> resumes with exactly the records after it, with no gap
/// and no duplicate, across restarts of the reading process and across file rotations. A position
/// that compaction or recovery invalidated is reported with <see cref="PersistencePositionException"/>,
/// never silently mis-resumed.
/// </summary>
/// <remarks>
/// Store <see cref="ToString"/> (for example in a cursor file) and read it back with
/// <see cref="Parse"/>. The text is <c>&lt;scheme&gt;:&lt;value&gt;</c>; the scheme names the kind of store
/// (<c>file</c>, <c>redis</c>, <c>memory</c>, …) and the value is the backend's own, which tools must
/// not interpret. Its format may change between major versions only.
/// </remarks>
public sealed class PersistencePosition : IEquatable<PersistencePosition>
{
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;
    private readonly int _parts;
    private string? _value;

    /// <summary>Creates a position from a backend's scheme and value text.</summary>
    /// <param name="scheme">The kind of store: lower-case letters, digits and <c>-</c>.</param>
    /// <param name="value">The backend's own value: no whitespace.</param>
    /// <exception cref="ArgumentException">The scheme or value is empty or has characters outside those allowed.</exception>
    public PersistencePosition(string scheme, string value)
    {
        Scheme = ValidateScheme(scheme);
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value.AsSpan().ContainsAny(" \t\r\n"))
        {
            throw new ArgumentException($"Invalid position value '{value}': it must not contain whitespace.", nameof(value));
        }

        _value = value;
    }

    /// <summary>
    /// Creates a position from up to four numbers, formatted only when the text is asked for (a
    /// backend yields one per record: formatting each would cost more than reading it).
    /// </summary>
    /// <param name="scheme">The kind of store.</param>
    /// <param name="parts">One to four numbers; the value text is them in hexadecimal, joined by <c>.</c>.</param>
    /// <exception cref="ArgumentException">The scheme is invalid or there are not one to four numbers.</exception>
    public PersistencePosition(string scheme, params ReadOnlySpan<ulong> parts)
    {
        Scheme = ValidateScheme(scheme);
        if (parts.Length is < 1 or > 4)
        {
            throw new ArgumentException($"A position has one to four numbers, not {parts.Length}.", nameof(parts));
        }

        _parts = parts.Length;
        _a = parts[0];
        _b = parts.Length > 1 ? parts[1] : 0;
        _c = parts.Length > 2 ? parts[2] : 0;
        _d = parts.Length > 3 ? parts[3] : 0;
    }

    /// <summary>The kind of store the position belongs to, for example <c>file</c>.</summary>
    public string Scheme { get; }

    /// <summary>The backend's own value text.</summary>
    public string Value => _value ??= FormatParts();

    /// <summary>Parses a position written by <see cref="ToString"/>.</summary>
    /// <param name="text">The text, <c>&lt;scheme&gt;:&lt;value&gt;</c>.</param>
    /// <returns>The position.</returns>
    /// <exception cref="FormatException">The text is not a position.</exception>
    public static PersistencePosition Parse(string text)
        => TryParse(text, out PersistencePosition? position)
            ? position
            : throw new FormatException($"'{text}' is not a Papyra store position (expected <scheme>:<value>, as a read wrote it).");

    /// <summary>Tries to parse a position written by <see cref="ToString"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="position">The position, when the text is one.</param>
    /// <returns><see langword="true"/> when the text is a position.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PersistencePosition? position)
    {
        position = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        text = text.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || colon == text.Length - 1 || !IsScheme(text.AsSpan(0, colon)) || text.AsSpan(colon + 1).ContainsAny(" \t\r\n"))
        {
            return false;
        }

        position = new PersistencePosition(text[..colon], text[(colon + 1)..]);
        return true;
    }

    /// <summary>Reads the numbers of a position made of numbers (see the constructor), from its value text.</summary>
    /// <param name="parts">Where the numbers go; its length is how many are expected.</param>
    /// <returns><see langword="true"/> when the value is exactly that many hexadecimal numbers.</returns>
    public bool TryGetParts(Span<ulong> parts)
    {
        if (_value is null)
        {
            if (parts.Length != _parts)
            {
                return false;
            }

            ReadOnlySpan<ulong> own = [_a, _b, _c, _d];
            own[.._parts].CopyTo(parts);
            return true;
        }

        ReadOnlySpan<char> rest = _value;
        for (int i = 0; i < parts.Length; i++)
        {
            int dot = rest.IndexOf('.');
            ReadOnlySpan<char> item = dot < 0 ? rest : rest[..dot];
            if (!ulong.TryParse(item, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out parts[i])
                || (dot < 0) != (i == parts.Length - 1))
            {
                return false;
            }

            rest = dot < 0 ? [] : rest[(dot + 1)..];
        }

        return true;
    }

    /// <summary>The position as text, <c>&lt;scheme&gt;:&lt;value&gt;</c>: what to store to resume later.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Scheme}:{Value}";

    /// <inheritdoc/>
    public bool Equals(PersistencePosition? other)
        => other is not null && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal) && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PersistencePosition);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Scheme, Value);

    private static string ValidateScheme(string scheme)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        return IsScheme(scheme)
            ? scheme
            : throw new ArgumentException($"Invalid position scheme '{scheme}': use lower-case letters, digits and '-'.", nameof(scheme));
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        foreach (char c in scheme)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return !scheme.IsEmpty;
    }

    private string FormatParts()
    {
        ReadOnlySpan<ulong> own = [_a, _b, _c, _d];
        return string.Join('.', own[.._parts].ToArray().Select(p => p.ToString("x", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
