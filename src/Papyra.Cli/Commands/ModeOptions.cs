using Papyra.Cli.Errors;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Commands;

/// <summary>Parses mode options (case-insensitive, <c>-</c> and <c>_</c> equivalent) into library settings.</summary>
internal static class ModeOptions
{
    public static PersistenceStartupMode StartupMode(string option, string text)
        => PersistenceOptionNames.TryParseStartupMode(text, out PersistenceStartupMode mode)
            ? mode
            : throw new CliUsageException($"Invalid {option} value '{text}': expected one of {string.Join(", ", PersistenceOptionNames.StartupModeNames)}.");

    public static PersistenceRecoveryMode RecoveryMode(string option, string text)
        => PersistenceOptionNames.TryParseRecoveryMode(text, out PersistenceRecoveryMode mode)
            ? mode
            : throw new CliUsageException($"Invalid {option} value '{text}': expected one of {string.Join(", ", PersistenceOptionNames.RecoveryModeNames)}.");

    /// <summary>
    /// Builds the recovery config. Quarantine moves the store aside, a destructive step that is
    /// never implicit from the CLI: it needs an explicit directory.
    /// </summary>
    public static PersistenceRecoveryConfig RecoveryConfig(string option, string modeText, string? quarantineDirectory)
    {
        PersistenceRecoveryMode mode = RecoveryMode(option, modeText);
        if (mode == PersistenceRecoveryMode.Quarantine && string.IsNullOrWhiteSpace(quarantineDirectory))
        {
            throw new CliUsageException($"{option} quarantine moves the store aside and needs --quarantine-dir <DIR>; nothing was changed.");
        }

        string? directory = string.IsNullOrWhiteSpace(quarantineDirectory) ? null : Path.GetFullPath(quarantineDirectory);
        if (directory is not null && File.Exists(directory))
        {
            throw new CliUsageException($"The quarantine directory '{directory}' is a file; give a directory.");
        }

        return new PersistenceRecoveryConfig(mode, directory);
    }
}
