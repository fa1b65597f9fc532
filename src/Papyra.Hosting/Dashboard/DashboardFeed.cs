using Papyra.Reports;

namespace Papyra.Hosting.Dashboard;

/// <summary>
/// Serves every open dashboard from one snapshot per interval: the first request after the
/// snapshot aged past <see cref="MinimumInterval"/> takes a new one (computing the rates from the
/// previous one), every other request gets the cached JSON. Ten open pages cost one snapshot a second.
/// </summary>
internal sealed class DashboardFeed : IDisposable
{
    /// <summary>How old a cached snapshot may be before a request takes a new one (a little under the pages' one second).</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(900);

    private readonly IDashboardSource _source;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Cached? _cached;

    public DashboardFeed(IDashboardSource source, TimeProvider? clock = null)
    {
        _source = source;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The latest snapshot as JSON (UTF-8), taking a new one when the cached one is too old.</summary>
    /// <param name="fresh">Take a new snapshot whatever the cached one's age (the last event before a host stops).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The JSON bytes.</returns>
    public async ValueTask<byte[]> GetJsonAsync(bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && Volatile.Read(ref _cached) is { } cached && _clock.GetElapsedTime(cached.TakenAt) < MinimumInterval)
        {
            return cached.Json;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Cached? previous = _cached;
            if (!fresh && previous is not null && _clock.GetElapsedTime(previous.TakenAt) < MinimumInterval)
            {
                return previous.Json;
            }

            long takenAt = _clock.GetTimestamp();
            DashboardSnapshot snapshot = WithRates(await _source.CaptureAsync(cancellationToken).ConfigureAwait(false), previous);
            byte[] json = ReportJson.ToUtf8Bytes(w => DashboardJson.Write(w, snapshot));
            Volatile.Write(ref _cached, new Cached(snapshot, json, takenAt));
            return json;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Rates per second between the previous snapshot and this one; none on the first, or after a counter went backwards (a reset).</summary>
    private static DashboardSnapshot WithRates(DashboardSnapshot current, Cached? previous)
    {
        if (previous is null)
        {
            return current;
        }

        double seconds = current.Timestamp - previous.Snapshot.Timestamp;
        DashboardRuntime before = previous.Snapshot.Runtime;
        DashboardRuntime now = current.Runtime;
        return current with
        {
            Runtime = now with
            {
                MessagesPerSecond = Rate(before.MessagesProcessed, now.MessagesProcessed, seconds),
                DeadLettersPerSecond = Rate(before.DeadLetters, now.DeadLetters, seconds),
            },
        };
    }

    private static double? Rate(long? before, long? now, double seconds)
        => before is { } b && now is { } n && n >= b && seconds > 0.05 ? (n - b) / seconds : null;

    private sealed record Cached(DashboardSnapshot Snapshot, byte[] Json, long TakenAt);
}
