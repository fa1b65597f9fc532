using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Papyra;

/// <summary>
/// The location of an actor: the id of the actor system that hosts it and the actor's numeric id
/// inside that system. Its canonical text form is <c>system:id</c>, for example <c>local:1</c>.
/// </summary>
/// <remarks>
/// Ids start at 1 in every system and are never reused, so an address names one actor for the
/// whole life of its system; a restarted actor keeps its address.
/// A system id is 1 to 128 characters from <c>A-Z a-z 0-9 - _ .</c>.
/// </remarks>
public readonly struct ActorAddress : IEquatable<ActorAddress>, ISpanFormattable, ISpanParsable<ActorAddress>
{
    /// <summary>The longest system id accepted, in characters.</summary>
    public const int MaxSystemIdLength = 128;

    /// <summary>The system id string instance validated last (a benign race: any instance stored here is valid).</summary>
    private static string? s_lastValidSystem;

    private readonly string? _system;

    /// <summary>Creates an address after validating both parts.</summary>
    /// <param name="system">The id of the actor system (see the type remarks for the allowed characters).</param>
    /// <param name="id">The actor id inside the system; 1 or greater.</param>
    /// <exception cref="ArgumentException"><paramref name="system"/> is empty, too long or has a character outside the allowed set.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is less than 1.</exception>
    public ActorAddress(string system, long id)
    {
        ArgumentNullException.ThrowIfNull(system);

        // A system creates every address of its actors from its one id string: that instance is
        // checked once (strings are immutable), not on every spawn.
        if (!ReferenceEquals(system, s_lastValidSystem))
        {
            string? problem = DescribeInvalidSystemId(system);
            if (problem is not null)
            {
                throw new ArgumentException($"Invalid actor system id '{system}': {problem}.", nameof(system));
            }

            s_lastValidSystem = system;
        }

        if (id < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Invalid actor id {id.ToString(CultureInfo.InvariantCulture)}: actor ids start at 1.");
        }

        _system = system;
        Id = id;
    }

    internal static ActorAddress Trusted(string system, long id) => new(system, id, checkedAlready: true);

    // For readers that checked the system id already (StoredRecords.Address): no second check.
    private ActorAddress(string system, long id, bool checkedAlready)
    {
        _ = checkedAlready;
        _system = system;
        Id = id;
    }

    /// <summary>The id of the actor system hosting the actor.</summary>
    public string System => _system ?? string.Empty;

    /// <summary>The actor's id inside its system (1 or greater).</summary>
    public long Id { get; }

    /// <summary>Whether this is the default (empty) value rather than a real address.</summary>
    public bool IsEmpty => _system is null;

    /// <summary>Parses the canonical form <c>system:id</c>.</summary>
    /// <param name="text">The text to parse, for example <c>local:1</c>.</param>
    /// <returns>The parsed address.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a valid address; the message names the text and what is wrong.</exception>
    public static ActorAddress Parse(string text) => Parse(text, provider: null);

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="text">The text to parse.</param>
    /// <param name="provider">Ignored: the format is culture-invariant.</param>
    public static ActorAddress Parse(string text, IFormatProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan(), provider);
    }

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="text">The text to parse.</param>
    /// <param name="provider">Ignored: the format is culture-invariant.</param>
    public static ActorAddress Parse(ReadOnlySpan<char> text, IFormatProvider? provider)
    {
        if (TryParseCore(text, out ActorAddress address, out string? error))
        {
            return address;
        }

        throw new FormatException(error);
    }

    /// <summary>Tries to parse the canonical form <c>system:id</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="address">The parsed address, or the default value when parsing fails.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ActorAddress address)
        => TryParse(text, provider: null, out address);

    /// <inheritdoc cref="TryParse(string, out ActorAddress)"/>
    /// <param name="text">The text to parse.</param>
    /// <param name="provider">Ignored: the format is culture-invariant.</param>
    /// <param name="result">The parsed address, or the default value when parsing fails.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, IFormatProvider? provider, out ActorAddress result)
    {
        if (text is null)
        {
            result = default;
            return false;
        }

        return TryParseCore(text.AsSpan(), out result, out _);
    }

    /// <inheritdoc cref="TryParse(string, out ActorAddress)"/>
    /// <param name="text">The text to parse.</param>
    /// <param name="provider">Ignored: the format is culture-invariant.</param>
    /// <param name="result">The parsed address, or the default value when parsing fails.</param>
    public static bool TryParse(ReadOnlySpan<char> text, IFormatProvider? provider, out ActorAddress result)
        => TryParseCore(text, out result, out _);

    /// <summary>Returns the canonical text form <c>system:id</c>, or an empty string for the default value.</summary>
    /// <returns>The canonical text.</returns>
    public override string ToString()
        => _system is null ? string.Empty : string.Concat(_system, ":", Id.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (_system is null)
        {
            return true;
        }

        if (destination.Length < _system.Length + 2 || !_system.AsSpan().TryCopyTo(destination))
        {
            return false;
        }

        destination[_system.Length] = ':';
        if (!Id.TryFormat(destination[(_system.Length + 1)..], out int idChars, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        charsWritten = _system.Length + 1 + idChars;
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(ActorAddress other) => Id == other.Id && string.Equals(_system, other._system, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ActorAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_system is null ? 0 : StringComparer.Ordinal.GetHashCode(_system), Id);

    /// <summary>Compares two addresses for equality.</summary>
    /// <param name="left">The first address.</param>
    /// <param name="right">The second address.</param>
    /// <returns><see langword="true"/> when both name the same system and id.</returns>
    public static bool operator ==(ActorAddress left, ActorAddress right) => left.Equals(right);

    /// <summary>Compares two addresses for inequality.</summary>
    /// <param name="left">The first address.</param>
    /// <param name="right">The second address.</param>
    /// <returns><see langword="true"/> when the addresses differ.</returns>
    public static bool operator !=(ActorAddress left, ActorAddress right) => !left.Equals(right);

    /// <summary>Checks a system id without throwing.</summary>
    /// <param name="system">The candidate system id.</param>
    /// <returns><see langword="true"/> when <paramref name="system"/> is a valid system id.</returns>
    public static bool IsValidSystemId([NotNullWhen(true)] string? system) => system is not null && DescribeInvalidSystemId(system) is null;

    private static string? DescribeInvalidSystemId(ReadOnlySpan<char> system)
    {
        if (system.IsEmpty)
        {
            return "it is empty";
        }

        if (system.Length > MaxSystemIdLength)
        {
            return $"it is longer than {MaxSystemIdLength} characters";
        }

        foreach (char c in system)
        {
            if (!IsSystemIdChar(c))
            {
                return $"the character '{c}' is not allowed (use letters, digits, '-', '_' or '.')";
            }
        }

        return null;
    }

    private static bool IsSystemIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    private static bool TryParseCore(ReadOnlySpan<char> text, out ActorAddress address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        string shown = text.Length > 200 ? string.Concat(text[..200], "…") : text.ToString();
        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            error = $"Invalid actor address '{shown}': expected the form 'system:id', for example 'local:1'.";
            return false;
        }

        ReadOnlySpan<char> system = text[..colon];
        ReadOnlySpan<char> idText = text[(colon + 1)..];
        string? problem = DescribeInvalidSystemId(system);
        if (problem is not null)
        {
            error = $"Invalid actor address '{shown}': the system id {problem}.";
            return false;
        }

        if (idText.IsEmpty || !IsAllAsciiDigits(idText)
            || !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
        {
            error = $"Invalid actor address '{shown}': the actor id must be a whole number from 1 to {long.MaxValue.ToString(CultureInfo.InvariantCulture)}.";
            return false;
        }

        if (id < 1)
        {
            error = $"Invalid actor address '{shown}': actor ids start at 1.";
            return false;
        }

        address = new ActorAddress(system.ToString(), id);
        error = null;
        return true;
    }

    private static bool IsAllAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
