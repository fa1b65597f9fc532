using System.Globalization;
using Papyra.Cli.Errors;

namespace Papyra.Cli.Configuration;

/// <summary>Parses and validates setting values, failing with one sentence that names the setting and the value.</summary>
internal static class SettingValues
{
    public static long? PositiveInteger(string setting, long? value)
    {
        if (value is { } v && v <= 0)
        {
            throw NotPositive(setting, v.ToString(CultureInfo.InvariantCulture));
        }

        return value;
    }

    public static double? PositiveNumber(string setting, double? value)
    {
        if (value is { } v && (!double.IsFinite(v) || v <= 0))
        {
            throw NotPositive(setting, v.ToString(CultureInfo.InvariantCulture));
        }

        return value;
    }

    public static long? ParsePositiveInteger(string setting, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new CliUsageException($"Invalid {setting} value '{text}': expected a whole number.");
        }

        return PositiveInteger(setting, value);
    }

    public static double? ParsePositiveNumber(string setting, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new CliUsageException($"Invalid {setting} value '{text}': expected a number.");
        }

        return PositiveNumber(setting, value);
    }

    public static long? IntegerInRange(string setting, long? value, long minimum, long maximum)
    {
        if (value is { } v && (v < minimum || v > maximum))
        {
            throw new CliUsageException(
                $"Invalid {setting} value {v.ToString(CultureInfo.InvariantCulture)}: it must be from {minimum.ToString(CultureInfo.InvariantCulture)} to {maximum.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    public static long? ParseIntegerInRange(string setting, string? text, long minimum, long maximum)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new CliUsageException($"Invalid {setting} value '{text}': expected a whole number.");
        }

        return IntegerInRange(setting, value, minimum, maximum);
    }

    private static CliUsageException NotPositive(string setting, string value)
        => new($"Invalid {setting} value {value}: it must be greater than 0 (leave it out for no limit).");
}
