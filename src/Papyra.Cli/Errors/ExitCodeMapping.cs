using System.Security;
using Papyra.Persistence.Configuration;
using Spectre.Console.Cli;

namespace Papyra.Cli.Errors;

/// <summary>Maps a failure to the exit code of the contract (SPEC §7) and the one sentence shown for it.</summary>
internal static class ExitCodeMapping
{
    public static int ExitCodeFor(Exception exception) => Unwrap(exception) switch
    {
        CliUsageException or CommandAppException or PersistenceConfigurationException => PapyraExitCodes.UsageError,
        IOException or UnauthorizedAccessException or SecurityException => PapyraExitCodes.IoError,
        _ => PapyraExitCodes.InternalError,
    };

    public static string MessageFor(Exception exception)
    {
        Exception cause = Unwrap(exception);
        string message = cause.Message.Trim();
        if (cause is CommandAppException)
        {
            // Spectre's messages sometimes end without a period or carry a trailing newline.
            message = message.TrimEnd('.') + ".";
        }

        return ExitCodeFor(cause) == PapyraExitCodes.InternalError
            ? $"Unexpected internal error ({cause.GetType().Name}): {message} Run again with --verbose for details."
            : message;
    }

    private static Exception Unwrap(Exception exception)
    {
        Exception current = exception;
        while (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            current = aggregate.InnerExceptions[0];
        }

        // Spectre wraps exceptions thrown while binding settings (e.g. a type converter's failure).
        if (current is CommandRuntimeException { InnerException: CliUsageException usage })
        {
            return usage;
        }

        return current;
    }
}
