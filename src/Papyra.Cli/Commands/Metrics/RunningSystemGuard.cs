using System.Globalization;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;

namespace Papyra.Cli.Commands.Metrics;

/// <summary>
/// Warns before a command rewrites a store that a running system appears to be writing: its live
/// metrics were published moments ago. Rewriting under a live writer is the operator's call, so
/// this warns (stderr) rather than refuses.
/// </summary>
internal static class RunningSystemGuard
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);

    public static async Task WarnIfLiveAsync(OpenedStore store, CliOutput output, string action, CancellationToken cancellationToken)
    {
        if (await store.ReadLiveMetricsAsync(cancellationToken).ConfigureAwait(false) is { } live && live.Age < Fresh)
        {
            output.Warn(string.Create(
                CultureInfo.InvariantCulture,
                $"a running system (pid {live.ProcessId}) published metrics for this store {live.Age.TotalSeconds:F0} s ago; {action} while it writes can race with its appends."));
        }
    }
}
