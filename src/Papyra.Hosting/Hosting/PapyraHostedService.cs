using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Papyra.Persistence;

namespace Papyra.Hosting;

/// <summary>
/// Runs the persistence startup check and starts the actor system when the host starts (before
/// the ASP.NET Core server accepts requests, since the server is the last hosted service to start),
/// and disposes it gracefully when the host stops. A failed strict startup check fails the host's
/// start, after logging every anomaly.
/// </summary>
internal sealed partial class PapyraHostedService : IHostedService
{
    private readonly PapyraHostedSystem _hosted;
    private readonly ILogger<PapyraHostedService> _logger;

    public PapyraHostedService(PapyraHostedSystem hosted, ILogger<PapyraHostedService> logger)
    {
        _hosted = hosted;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _hosted.State = PapyraSystemState.Starting;
        PapyraOptions options = _hosted.Options;
        LogStarting(options.SystemId, options.Backend, options.Startup.Mode);
        try
        {
            // Open the backend without blocking a thread (Redis connects); the system is built on it.
            await _hosted.OpenBackendAsync(cancellationToken).ConfigureAwait(false);
            await _hosted.System.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PersistenceStartupException ex)
        {
            _hosted.State = PapyraSystemState.Failed;
            PersistenceScanReport? remaining = ex.Report.Recovery?.Verification ?? ex.Report.Scan;
            LogStartupRefused(ex, options.SystemId, ex.Report.Mode, remaining?.TotalAnomalies ?? 0, remaining?.Backend ?? _hosted.Backend.Name, remaining?.Path, DescribeAnomalies(remaining));
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _hosted.State = PapyraSystemState.Failed;
            LogStartFailed(ex, options.SystemId);
            throw;
        }

        _hosted.StartedAt = DateTimeOffset.UtcNow;
        _hosted.State = PapyraSystemState.Running;
        LogStarted(options.SystemId);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        PapyraSystemState previous = _hosted.State;
        _hosted.State = PapyraSystemState.Stopped;
        if (previous != PapyraSystemState.Running)
        {
            return;
        }

        LogStopping(_hosted.Options.SystemId);

        // DisposeAsync drains the actors and flushes persistence; it takes no token, so a host
        // shutdown timeout abandons the wait (the disposal goes on) rather than cutting a flush short.
        Task dispose = _hosted.DisposeAsync().AsTask();
        await dispose.WaitAsync(cancellationToken).ConfigureAwait(false);
        LogStopped(_hosted.Options.SystemId);
    }

    /// <summary>Formats anomalies as <c>Type at path:line (offset N): detail</c>, one per entry, for the log line.</summary>
    internal static string DescribeAnomalies(PersistenceScanReport? report)
    {
        if (report is null || report.Anomalies.Count == 0)
        {
            return "none listed";
        }

        IEnumerable<string> entries = report.Anomalies.Select(a =>
        {
            string where = a.Line is { } line ? $"{a.Path}:{line}" : a.Path;
            string offset = a.Offset is { } o ? $" (offset {o})" : string.Empty;
            string detail = string.IsNullOrEmpty(a.Detail) ? string.Empty : $": {a.Detail}";
            return $"{a.Type} at {where}{offset}{detail}";
        });
        string more = report.TotalAnomalies > report.Anomalies.Count ? $"; and {report.TotalAnomalies - report.Anomalies.Count} more" : string.Empty;
        return string.Join("; ", entries) + more;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Starting Papyra actor system '{SystemId}' ({Backend} backend, startup mode {StartupMode}).")]
    private partial void LogStarting(string systemId, string backend, PersistenceStartupMode startupMode);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "Papyra actor system '{SystemId}' started.")]
    private partial void LogStarted(string systemId);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Critical, Message = "Papyra actor system '{SystemId}' refused to start (startup mode {StartupMode}): {AnomalyCount} persistence anomalies in {Backend} store {Path}: {Anomalies}")]
    private partial void LogStartupRefused(Exception exception, string systemId, PersistenceStartupMode startupMode, long anomalyCount, string backend, string? path, string anomalies);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Critical, Message = "Papyra actor system '{SystemId}' failed to start.")]
    private partial void LogStartFailed(Exception exception, string systemId);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Stopping Papyra actor system '{SystemId}': draining actors and flushing persistence.")]
    private partial void LogStopping(string systemId);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Information, Message = "Papyra actor system '{SystemId}' stopped.")]
    private partial void LogStopped(string systemId);
}
