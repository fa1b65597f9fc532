using Papyra.Cli.Rendering;
using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Errors;

/// <summary>
/// The outermost handler: every failure becomes one redacted sentence on stderr and an exit code
/// of the contract; the stack trace is shown only with <c>--verbose</c>.
/// </summary>
internal static class ErrorBoundary
{
    public static async Task<int> RunAsync(Func<Task<int>> run, IReadOnlyList<string> args, TextWriter error)
    {
        bool verbose = args.Contains("--verbose", StringComparer.Ordinal);
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("papyra: cancelled.").ConfigureAwait(false);
            return PapyraExitCodes.InternalError;
        }
#pragma warning disable CA1031 // The boundary exists to turn every failure into an exit code.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"papyra: error: {TerminalText.Safe(SecretRedaction.Redact(ExitCodeMapping.MessageFor(exception)))}").ConfigureAwait(false);
            if (verbose)
            {
                await error.WriteLineAsync(SecretRedaction.Redact(exception.ToString())).ConfigureAwait(false);
            }

            return ExitCodeMapping.ExitCodeFor(exception);
        }
    }
}
