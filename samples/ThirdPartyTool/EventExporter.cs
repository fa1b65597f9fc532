using System.Globalization;
using Papyra.Persistence;

namespace ThirdPartyTool;

/// <summary>
/// Exports persisted lifecycle events as tab-separated lines (<c>timestamp  system  actor  event_type</c>).
/// It sees the store only through <see cref="IPersistenceBackend"/>, so it works with any backend the host
/// application configured (memory, JSON file, rotating files, Redis) and across runtime releases.
/// </summary>
public sealed class EventExporter
{
    private readonly IPersistenceBackend _backend;

    /// <summary>Creates an exporter over a backend the host application owns.</summary>
    /// <param name="backend">The backend to read from; the exporter never writes to it or disposes it.</param>
    public EventExporter(IPersistenceBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
    }

    /// <summary>Writes the events matching <paramref name="query"/>, oldest first, one line each.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="query">Which events; all of them when null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many events were written and how many damaged records the backend skipped.</returns>
    public async Task<(int Exported, long Skipped)> ExportAsync(TextWriter output, PersistenceQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var result = await _backend.ReadEventsAsync(query, cancellationToken).ConfigureAwait(false);
        foreach (var record in result.Records)
        {
            await output.WriteLineAsync(string.Join(
                '\t',
                record.Timestamp.ToString("F3", CultureInfo.InvariantCulture),
                record.SystemId,
                record.ActorAddress?.ToString() ?? "-",
                record.EventType)).ConfigureAwait(false);
        }

        return (result.Records.Count, result.SkippedRecords);
    }
}
