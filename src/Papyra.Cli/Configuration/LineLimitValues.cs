using Papyra.Persistence.Json;

namespace Papyra.Cli.Configuration;

/// <summary>
/// Validates the line limits of a file store (SPEC §5 "Line limits") from any source, against the
/// ranges the file backends declare (<see cref="JsonFilePersistenceOptions"/>), so that a bad value
/// is a usage error (exit 64) naming the option, key or variable it came from, instead of the
/// backend's argument exception.
/// </summary>
internal static class LineLimitValues
{
    private const int MinLineBytes = JsonFilePersistenceOptions.MinimumMaxLineBytes;
    private const int MinNestingDepth = JsonFilePersistenceOptions.MinimumMaxNestingDepth;
    private const int MaxNestingDepth = JsonFilePersistenceOptions.MaximumMaxNestingDepth;

    public static int? LineBytes(string setting, long? value)
        => (int?)SettingValues.IntegerInRange(setting, value, MinLineBytes, int.MaxValue);

    public static int? NestingDepth(string setting, long? value)
        => (int?)SettingValues.IntegerInRange(setting, value, MinNestingDepth, MaxNestingDepth);

    public static int? ParseLineBytes(string setting, string? text)
        => (int?)SettingValues.ParseIntegerInRange(setting, text, MinLineBytes, int.MaxValue);

    public static int? ParseNestingDepth(string setting, string? text)
        => (int?)SettingValues.ParseIntegerInRange(setting, text, MinNestingDepth, MaxNestingDepth);
}
