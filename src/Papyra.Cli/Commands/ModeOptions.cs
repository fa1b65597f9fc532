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
    /// Builds the recovery config. Quarantine moves a file store aside, a destructive step that is
    /// never implicit from the CLI: it needs an explicit directory. For Redis, quarantine renames the
    /// record stream, intact, inside Redis: no directory is involved, so <c>--quarantine-dir</c>
    /// is not needed, and one given anyway is refused rather than silently ignored.
    /// </summary>
    public static PersistenceRecoveryConfig RecoveryConfig(string option, string modeText, string? quarantineDirectory, PersistenceBackendKind backend)
    {
        PersistenceRecoveryMode mode = RecoveryMode(option, modeText);
        if (backend == PersistenceBackendKind.Redis)
        {
            return string.IsNullOrWhiteSpace(quarantineDirectory)
                ? new PersistenceRecoveryConfig(mode)
                : throw new CliUsageException(
                    "--quarantine-dir does not apply to the redis backend: quarantine renames the record stream inside Redis; leave the option out.");
        }

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
