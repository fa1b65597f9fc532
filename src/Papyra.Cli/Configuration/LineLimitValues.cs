namespace Papyra.Cli.Configuration;

/// <summary>
/// Validates the line limits of a file store (SPEC §5 "Line limits") from any source. The ranges
/// are the ones the file backends accept; they are checked here so that a bad value is a usage
/// error (exit 64) naming the option, key or variable it came from, instead of the backend's
/// argument exception.
/// </summary>
internal static class LineLimitValues
{
    /// <summary>The shortest maximum line length the file backends accept, in bytes.</summary>
    public const int MinLineBytes = 1024;

    /// <summary>The shallowest maximum nesting depth the file backends accept.</summary>
    public const int MinNestingDepth = 64;

    /// <summary>The deepest maximum nesting depth the file backends accept.</summary>
    public const int MaxNestingDepth = 1_000_000;

    public static int? LineBytes(string setting, long? value)
        => (int?)SettingValues.IntegerInRange(setting, value, MinLineBytes, int.MaxValue);

    public static int? NestingDepth(string setting, long? value)
        => (int?)SettingValues.IntegerInRange(setting, value, MinNestingDepth, MaxNestingDepth);

    public static int? ParseLineBytes(string setting, string? text)
        => (int?)SettingValues.ParseIntegerInRange(setting, text, MinLineBytes, int.MaxValue);

    public static int? ParseNestingDepth(string setting, string? text)
        => (int?)SettingValues.ParseIntegerInRange(setting, text, MinNestingDepth, MaxNestingDepth);
}
