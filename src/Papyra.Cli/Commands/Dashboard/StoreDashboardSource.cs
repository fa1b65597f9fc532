using Papyra.Cli.Stores;
using Papyra.Hosting.Dashboard;
using Papyra.Persistence;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Commands.Dashboard;

/// <summary>
/// The dashboard of a store, for <c>papyra dashboard</c>: what the store holds (restarts, stops and
/// dead letters counted from its records, the actor counts of its newest audit, the most recent dead
/// letters), read incrementally from the position reached so far, plus the live metrics snapshot a
/// running system publishes beside it (SPEC §6) and a periodic read-only scan. Read-only throughout.
/// Figures only a running host knows (messages processed, mailbox depths, uptime) are absent.
/// </summary>
internal sealed class StoreDashboardSource : IDashboardSource
{
    /// <summary>How long between two scans of the store (a scan reads all of it).</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(30);

    /// <summary>A published snapshot older than this means no system is running (publishers refresh it about once a second).</summary>
    public static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(5);

    /// <summary>How many records one snapshot reads at most, so a large store is caught up over several snapshots rather than delaying the first.</summary>
    public const int MaxRecordsPerSnapshot = 100_000;

    private const int RecentDeadLetterCount = 10;

    private readonly OpenedStore _store;
    private string _systemId;
    private readonly TimeProvider _clock;
    private readonly Queue<DashboardDeadLetter> _recent = new();
    private PersistencePosition? _position;
    private long _restarts;
    private long _stopped;
    private long _deadLetters;
    private PersistedAudit? _audit;
    private PersistenceScanReport? _scan;
    private string? _scanError;
    private double? _lastScanAt;
    private long _lastScanTimestamp;

    public StoreDashboardSource(OpenedStore store, string systemId, TimeProvider? clock = null)
    {
        _store = store;
        _systemId = systemId;
        _clock = clock ?? TimeProvider.System;
    }

    public async ValueTask<DashboardSnapshot> CaptureAsync(CancellationToken cancellationToken)
    {
        PersistenceLiveMetrics? live = await _store.ReadLiveMetricsAsync(cancellationToken).ConfigureAwait(false);
        bool running = live is { PublisherRunning: true } && live.Age < LiveWithin;
        bool counted = await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        await ScanIfDueAsync(cancellationToken).ConfigureAwait(false);

        PersistedAudit? audit = _audit;
        return new DashboardSnapshot
        {
            Source = "store",
            SystemId = _systemId,
            State = running ? "Running" : "Offline",
            Timestamp = Now(),
            Actors = audit is null ? null : new DashboardActors(audit.AliveActors, audit.RestartingActors, audit.StoppingActors, counted ? _stopped : null, []),
            Runtime = new DashboardRuntime
            {
                Restarts = counted ? _restarts : null,
                DeadLetters = counted ? _deadLetters : null,
            },
            RecentDeadLetters = [.. _recent.Reverse()],
            Persistence = new DashboardPersistence
            {
                Backend = _store.View.Backend,
                Status = _scanError is not null || _scan is { HasAnomalies: true }
                    ? DashboardPersistence.Unhealthy
                    : _scan is null ? DashboardPersistence.Unknown : DashboardPersistence.Healthy,
                Description = Describe(),
                Path = _store.View.Path,
                LastScan = _lastScanAt,
                RecordsScanned = _scan?.RecordsScanned,
                TotalAnomalies = _scan?.TotalAnomalies,
                Anomalies = HostedDashboardSource.Anomalies(_scan),
                Error = _scanError,
                Live = running,
                CountersAgeSeconds = live?.Age.TotalSeconds,
                Counters = live?.Snapshot.ToDictionary(),
            },
        };
    }

    /// <summary>Reads the records appended since the last snapshot (oldest first, from the position reached).</summary>
    /// <returns>Whether the store can be read this way (the counts are known).</returns>
    private async ValueTask<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (_store.Backend is not IPersistenceStreamReader reader)
        {
            return false;
        }

        try
        {
            await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }
        catch (PersistencePositionException)
        {
            // Compacted or rotated away under us: count again from the start.
            _position = null;
            _restarts = _stopped = _deadLetters = 0;
            _recent.Clear();
            _audit = null;
            await ReadAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async ValueTask ReadAsync(IPersistenceStreamReader reader, CancellationToken cancellationToken)
    {
        int read = 0;
        await foreach (StoredRecord stored in reader.ReadAsync(new PersistenceReadRequest { After = _position }, cancellationToken).ConfigureAwait(false))
        {
            switch (stored.Record)
            {
                case PersistedEvent { EventType: "ActorRestarted" }:
                    _restarts++;
                    break;
                case PersistedEvent { EventType: "ActorStopped" }:
                    _stopped++;
                    break;
                case PersistedDeadLetter letter:
                    _deadLetters++;
                    _recent.Enqueue(new DashboardDeadLetter(letter.Target?.ToString(), letter.MessageType, null, letter.Timestamp));
                    if (_recent.Count > RecentDeadLetterCount)
                    {
                        _recent.Dequeue();
                    }

                    break;
                case PersistedAudit audit:
                    _audit = audit;
                    break;
            }

            _systemId = stored.Record.SystemId;
            _position = stored.Position;
            if (++read >= MaxRecordsPerSnapshot)
            {
                break;
            }
        }
    }

    private async ValueTask ScanIfDueAsync(CancellationToken cancellationToken)
    {
        if (_store.Backend is not IPersistenceScanner scanner
            || (_lastScanAt is not null && _clock.GetElapsedTime(_lastScanTimestamp) < ScanInterval))
        {
            return;
        }

        try
        {
            _scan = await scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
            _scanError = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _scan = null;
            _scanError = $"{e.GetType().Name}: {e.Message}";
        }

        _lastScanTimestamp = _clock.GetTimestamp();
        _lastScanAt = Now();
    }

    private string Describe() => (_scanError, _scan) switch
    {
        ({ } error, _) => $"Scanning the {_store.View.Backend} store failed: {error}",
        (_, { HasAnomalies: true } scan) => $"The {_store.View.Backend} store has {scan.TotalAnomalies} anomalies ({string.Join(", ", scan.Anomalies.Select(a => a.Type.ToString()).Distinct())}).",
        (_, null) => $"The {_store.View.Backend} store cannot be scanned.",
        _ => $"The {_store.View.Backend} store is clean.",
    };

    private double Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
}
