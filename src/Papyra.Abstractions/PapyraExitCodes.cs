namespace Papyra;

/// <summary>
/// The exit codes of the <c>papyra</c> command. They are a stable contract: scripts, init
/// containers and CI jobs branch on them.
/// </summary>
public static class PapyraExitCodes
{
    /// <summary>Success: healthy, or recovered and verified clean.</summary>
    public const int Success = 0;

    /// <summary><c>doctor run</c> found anomalies and the mode is <c>fail_on_anomaly</c>.</summary>
    public const int AnomaliesFoundFailMode = 1;

    /// <summary><c>persistence scan</c> found anomalies, or <c>doctor run</c> still finds them after recovery.</summary>
    public const int AnomaliesFound = 2;

    /// <summary><c>persistence recover</c> finished but its verification scan still finds anomalies.</summary>
    public const int RecoveryIncomplete = 3;

    /// <summary><c>persistence startup-check</c> failed in <c>fail_on_anomaly</c> mode.</summary>
    public const int StartupCheckFailed = 4;

    /// <summary><c>persistence startup-check</c> in <c>recover</c> mode could not make the storage clean.</summary>
    public const int StartupRecoveryFailed = 5;

    /// <summary>Usage error or invalid configuration (unknown option, bad value, quarantine without a directory).</summary>
    public const int UsageError = 64;

    /// <summary>Unexpected internal error.</summary>
    public const int InternalError = 70;

    /// <summary>I/O error: path unreadable, permission denied, Redis unreachable.</summary>
    public const int IoError = 74;
}
