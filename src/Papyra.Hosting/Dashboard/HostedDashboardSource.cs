using Microsoft.Extensions.Hosting;
using Papyra.Metrics;
using Papyra.Persistence;
using Papyra.Reports;

namespace Papyra.Hosting.Dashboard;

/// <summary>
/// The dashboard of a hosted system, built on its public surfaces only: the state the health
/// endpoint reports, <see cref="ActorSystem.GetMetricsSnapshot"/>, <see cref="ActorSystem.ListActors"/>
/// and <see cref="ActorSystem.GetActorInfo(ActorAddress)"/> (not <see cref="ActorSystem.Audit"/>, which
/// persists an audit record), <see cref="ActorSystem.GetRecentDeadLetters"/>, <see cref="ActorSystem.GetRecentEvents"/>,
/// the health evaluator's report and the backend's <see cref="IPersistenceMetrics"/>.
/// </summary>
internal sealed class HostedDashboardSource : IDashboardSource
{
    /// <summary>The shortest time between two scans of the store for the dashboard (or the health options' interval when longer).</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(5);

    private const int BusiestCount = 5;
    private const int RecentDeadLetterCount = 10;

    private readonly PapyraHostedSystem _hosted;
    private readonly PapyraHealthEvaluator _health;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _clock;
    private readonly Lock _eventsGate = new();
    private long _lastEventSequence;
    private long _stopped;
    private PapyraHealthReport? _lastHealth;
    private double _lastScanAt;
    private long _lastScanTimestamp;

    public HostedDashboardSource(PapyraHostedSystem hosted, PapyraHealthEvaluator health, IHostApplicationLifetime? lifetime, TimeProvider? clock = null)
    {
        _hosted = hosted;
        _health = health;
        _lifetime = lifetime;
        _clock = clock ?? TimeProvider.System;
    }

    public async ValueTask<DashboardSnapshot> CaptureAsync(CancellationToken cancellationToken)
    {
        PapyraSystemState state = _hosted.State;
        double now = _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        bool stopping = _lifetime?.ApplicationStopping.IsCancellationRequested == true && state is PapyraSystemState.Running or PapyraSystemState.Starting;
        string stateName = stopping ? "Stopping" : state.ToString();
        string systemId = _hosted.Options.SystemId;

        if (state != PapyraSystemState.Running)
        {
            // Not started, failed or stopped: the system and its backend may not exist or be closed.
            return new DashboardSnapshot
            {
                Source = "host",
                SystemId = systemId,
                State = stateName,
                Timestamp = now,
                Runtime = new DashboardRuntime(),
                Persistence = new DashboardPersistence
                {
                    Backend = _lastHealth?.Backend ?? "unknown",
                    Status = DashboardPersistence.Unknown,
                    Description = $"Papyra actor system '{systemId}' is {stateName}.",
                },
            };
        }

        ActorSystem system = _hosted.System;
        RuntimeMetricsSnapshot metrics = system.GetMetricsSnapshot();
        PapyraHealthReport health = await HealthAsync(cancellationToken).ConfigureAwait(false);
        IPersistenceBackend backend = _hosted.Backend;
        return new DashboardSnapshot
        {
            Source = "host",
            SystemId = systemId,
            State = stateName,
            Timestamp = now,
            UptimeSeconds = _hosted.StartedAt is { } started ? (_clock.GetUtcNow() - started).TotalSeconds : null,
            Actors = Actors(system),
            Runtime = new DashboardRuntime
            {
                MessagesProcessed = metrics.MessagesProcessed,
                Restarts = metrics.Restarts,
                DeadLetters = metrics.DeadLetters,
                MailboxDepth = metrics.MailboxDepth,
            },
            RecentDeadLetters = RecentDeadLetters(system),
            Persistence = Persistence(health, backend),
        };
    }

    private async ValueTask<PapyraHealthReport> HealthAsync(CancellationToken cancellationToken)
    {
        TimeSpan interval = _hosted.Options.Health.ScanInterval > ScanInterval ? _hosted.Options.Health.ScanInterval : ScanInterval;
        if (Volatile.Read(ref _lastHealth) is { } last && _clock.GetElapsedTime(Interlocked.Read(ref _lastScanTimestamp)) < interval)
        {
            return last;
        }

        PapyraHealthReport report = await _health.EvaluateAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastScanTimestamp, _clock.GetTimestamp());
        _lastScanAt = _clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        Volatile.Write(ref _lastHealth, report);
        return report;
    }

    private DashboardActors Actors(ActorSystem system)
    {
        long alive = 0, restarting = 0, stoppingActors = 0;
        PriorityQueue<DashboardActor, int> busiest = new();
        foreach (ActorAddress address in system.ListActors())
        {
            ActorInfo info;
            try
            {
                info = system.GetActorInfo(address);
            }
            catch (KeyNotFoundException)
            {
                continue; // stopped between the two calls
            }

            if (info.IsRestarting)
            {
                restarting++;
            }

            if (info.IsStopping)
            {
                stoppingActors++;
            }
            else if (info.IsAlive)
            {
                alive++;
            }

            if (info.MailboxDepth > 0)
            {
                busiest.Enqueue(new DashboardActor(info.Address.ToString(), info.Name, info.ActorType, info.MailboxDepth), info.MailboxDepth);
                if (busiest.Count > BusiestCount)
                {
                    busiest.Dequeue();
                }
            }
        }

        List<DashboardActor> top = [];
        while (busiest.Count > 0)
        {
            top.Add(busiest.Dequeue());
        }

        top.Reverse();
        return new DashboardActors(alive, restarting, stoppingActors, CountStopped(system), top);
    }

    /// <summary>Counts <see cref="ActorStopped"/> events since the dashboard first looked (the event log is bounded; a burst larger than it between two snapshots is undercounted).</summary>
    private long CountStopped(ActorSystem system)
    {
        lock (_eventsGate)
        {
            if (system.LastEventSequence == _lastEventSequence)
            {
                return _stopped;
            }

            IReadOnlyList<ActorEvent> events = system.GetRecentEvents();
            long newest = _lastEventSequence;
            for (int i = events.Count - 1; i >= 0 && events[i].Sequence > _lastEventSequence; i--)
            {
                if (events[i] is ActorStopped)
                {
                    _stopped++;
                }

                newest = Math.Max(newest, events[i].Sequence);
            }

            _lastEventSequence = newest;
            return _stopped;
        }
    }

    private static List<DashboardDeadLetter> RecentDeadLetters(ActorSystem system)
    {
        IReadOnlyList<DeadLetter> letters = system.GetRecentDeadLetters();
        List<DashboardDeadLetter> recent = new(Math.Min(RecentDeadLetterCount, letters.Count));
        for (int i = letters.Count - 1; i >= 0 && recent.Count < RecentDeadLetterCount; i--)
        {
            DeadLetter letter = letters[i];
            recent.Add(new DashboardDeadLetter(letter.Target.ToString(), letter.MessageType, letter.Reason.ToString(), letter.Timestamp));
        }

        return recent;
    }

    private DashboardPersistence Persistence(PapyraHealthReport health, IPersistenceBackend backend)
    {
        PersistenceMetricsSnapshot? counters = (backend as IPersistenceMetrics)?.GetMetricsSnapshot();
        return new DashboardPersistence
        {
            Backend = health.Backend,
            Status = health.Error is not null || health.Scan is { HasAnomalies: true }
                ? DashboardPersistence.Unhealthy
                : health.Scan is null ? DashboardPersistence.Unknown : DashboardPersistence.Healthy,
            Description = health.Description,
            Path = health.Scan?.Path,
            LastScan = health.ScanSupported ? _lastScanAt : null,
            RecordsScanned = health.Scan?.RecordsScanned,
            TotalAnomalies = health.Scan?.TotalAnomalies,
            Anomalies = Anomalies(health.Scan),
            Error = health.Error,
            Live = counters is not null,
            CountersAgeSeconds = counters is null ? null : 0,
            Counters = counters?.ToDictionary(),
        };
    }

    /// <summary>The first five anomalies of a scan, for the page.</summary>
    internal static IReadOnlyList<AnomalyJson> Anomalies(PersistenceScanReport? scan)
        => scan is null ? [] : [.. scan.Anomalies.Take(5).Select(AnomalyJson.From)];
}
