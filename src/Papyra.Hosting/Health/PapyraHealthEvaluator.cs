using Microsoft.Extensions.Logging;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Hosting;

/// <summary>Builds a <see cref="PapyraHealthReport"/>: the system's state plus a read-only scan of its store.</summary>
internal sealed partial class PapyraHealthEvaluator
{
    private readonly PapyraHostedSystem _hosted;
    private readonly ILogger<PapyraHealthEvaluator> _logger;
    private readonly TimeProvider _timeProvider;
    private long _lastAnomalies;
    private CachedScan? _cached;

    public PapyraHealthEvaluator(PapyraHostedSystem hosted, ILogger<PapyraHealthEvaluator> logger, TimeProvider? timeProvider = null)
    {
        _hosted = hosted;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public async ValueTask<PapyraHealthReport> EvaluateAsync(CancellationToken cancellationToken)
    {
        PapyraSystemState state = _hosted.State;
        string systemId = _hosted.Options.SystemId;
        if (state is PapyraSystemState.NotStarted or PapyraSystemState.Stopped)
        {
            // The backend may be closed (or not built yet): do not touch it.
            return new PapyraHealthReport(systemId, state, BackendName(), null, null);
        }

        IPersistenceBackend backend = _hosted.Backend;
        if (backend is not IPersistenceScanner scanner)
        {
            return new PapyraHealthReport(systemId, state, backend.Name, null, null);
        }

        try
        {
            PersistenceScanReport scan = await ScanAsync(scanner, cancellationToken).ConfigureAwait(false);

            // Probes poll every few seconds: log when the finding changes, not on every probe.
            long previous = Interlocked.Exchange(ref _lastAnomalies, scan.TotalAnomalies);
            if (scan.TotalAnomalies != previous)
            {
                if (scan.HasAnomalies)
                {
                    LogAnomalies(backend.Name, scan.Path, scan.TotalAnomalies);
                }
                else
                {
                    LogClean(backend.Name, scan.Path);
                }
            }

            return new PapyraHealthReport(systemId, state, backend.Name, scan, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogScanFailed(ex, backend.Name);
            return new PapyraHealthReport(systemId, state, backend.Name, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async ValueTask<PersistenceScanReport> ScanAsync(IPersistenceScanner scanner, CancellationToken cancellationToken)
    {
        TimeSpan interval = _hosted.Options.Health.ScanInterval;
        long now = _timeProvider.GetTimestamp();
        if (interval > TimeSpan.Zero && Volatile.Read(ref _cached) is { } cached && _timeProvider.GetElapsedTime(cached.Timestamp, now) < interval)
        {
            return cached.Report;
        }

        PersistenceScanReport report = await scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _cached, new CachedScan(report, now));
        return report;
    }

    private string BackendName()
        => _hosted.Options.BackendFactory is null ? PersistenceBackendSettings.NormalizeName(_hosted.Options.Backend) : "custom";

    [LoggerMessage(EventId = 9010, Level = LogLevel.Warning, Message = "Papyra health check: {Backend} store {Path} has {AnomalyCount} anomalies.")]
    private partial void LogAnomalies(string backend, string? path, long anomalyCount);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Information, Message = "Papyra health check: {Backend} store {Path} is clean again.")]
    private partial void LogClean(string backend, string? path);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Error, Message = "Papyra health check: scanning the {Backend} store failed.")]
    private partial void LogScanFailed(Exception exception, string backend);

    private sealed record CachedScan(PersistenceScanReport Report, long Timestamp);
}
