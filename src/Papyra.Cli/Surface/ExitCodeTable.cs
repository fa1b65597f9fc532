namespace Papyra.Cli.Surface;

/// <summary>The exit codes of the contract (SPEC §7) with what each means for an operator.</summary>
internal static class ExitCodeTable
{
    public static IReadOnlyList<(int Code, string Name, string Meaning)> Entries { get; } =
    [
        (PapyraExitCodes.Success, nameof(PapyraExitCodes.Success), "success / healthy / recovered and verified clean"),
        (PapyraExitCodes.AnomaliesFoundFailMode, nameof(PapyraExitCodes.AnomaliesFoundFailMode), "anomalies found and mode is fail_on_anomaly (doctor run)"),
        (PapyraExitCodes.AnomaliesFound, nameof(PapyraExitCodes.AnomaliesFound), "anomalies found by persistence scan or backup verify (a damaged archive, also for backup restore), still present after recovery in doctor run, or a retention policy violated (persistence audit)"),
        (PapyraExitCodes.RecoveryIncomplete, nameof(PapyraExitCodes.RecoveryIncomplete), "persistence recover finished but the verification scan still finds anomalies"),
        (PapyraExitCodes.StartupCheckFailed, nameof(PapyraExitCodes.StartupCheckFailed), "persistence startup-check failed in fail_on_anomaly mode"),
        (PapyraExitCodes.StartupRecoveryFailed, nameof(PapyraExitCodes.StartupRecoveryFailed), "persistence startup-check in recover mode could not make storage clean"),
        (PapyraExitCodes.UsageError, nameof(PapyraExitCodes.UsageError), "usage error or invalid configuration (unknown option, bad value, quarantine without a directory, backend not in this build, an existing archive or store without --force)"),
        (PapyraExitCodes.InternalError, nameof(PapyraExitCodes.InternalError), "unexpected internal error (short message; full detail only with --verbose)"),
        (PapyraExitCodes.IoError, nameof(PapyraExitCodes.IoError), "I/O error (path is a directory or unreadable, permission denied, Redis unreachable)"),
    ];
}
