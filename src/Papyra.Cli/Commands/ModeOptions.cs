using Papyra.Cli.Errors;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;

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
    /// is not needed, and one given anyway is refused rather than silently ignored (the same for
    /// memory and any third-party backend: only a file store moves to a directory).
    /// </summary>
    public static PersistenceRecoveryConfig RecoveryConfig(string option, string modeText, string? quarantineDirectory, string backend)
    {
        PersistenceRecoveryMode mode = RecoveryMode(option, modeText);
        if (backend is not (JsonFilePersistenceBackend.BackendName or RotatingFilePersistenceBackend.BackendName))
        {
            // Only a file store is moved to a directory; other backends quarantine inside their own store.
            return string.IsNullOrWhiteSpace(quarantineDirectory)
                ? new PersistenceRecoveryConfig(mode)
                : throw new CliUsageException(
                    $"--quarantine-dir does not apply to the {backend} backend: only a file store (json, rotating) is moved to a directory; leave the option out.");
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
