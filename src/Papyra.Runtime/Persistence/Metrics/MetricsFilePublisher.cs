using Microsoft.Extensions.Logging;

namespace Papyra.Persistence.Metrics;

/// <summary>
/// Publishes a writing backend's counters to its metrics file about once per interval, honours reset
/// requests, and publishes a last time on dispose. It starts with the first write, so a process that
/// only reads, scans or repairs a store (the CLI) never creates the file.
/// </summary>
internal sealed class MetricsFilePublisher : IDisposable
{
    private readonly string _storePath;
    private readonly string _backend;
    private readonly PersistenceMetricsRecorder _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private bool _disposed;

    public MetricsFilePublisher(string storePath, string backend, PersistenceMetricsRecorder metrics, TimeProvider timeProvider, TimeSpan interval, ILogger logger)
    {
        _storePath = storePath;
        _backend = backend;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _interval = interval;
        _logger = logger;
    }

    public void EnsureStarted()
    {
        if (Volatile.Read(ref _timer) is not null)
        {
            return;
        }

        lock (_lock)
        {
            if (_timer is not null || _disposed)
            {
                return;
            }

            _timer = _timeProvider.CreateTimer(static state => ((MetricsFilePublisher)state!).Tick(), this, _interval, _interval);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_timer is null)
            {
                return;
            }

            _timer.Dispose();
            PublishLocked();
        }
    }

    private void Tick()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                PublishLocked();
            }
        }
    }

    private void PublishLocked()
    {
        try
        {
            string request = PersistenceMetricsFile.ResetRequestPathFor(_storePath);
            if (File.Exists(request))
            {
                _metrics.Reset();
                File.Delete(request);
                _logger.LogInformation("Persistence metrics of {Path} were reset on request.", _storePath);
            }

            PersistenceMetricsFile.Publish(_storePath, _backend, _metrics.Snapshot(), _timeProvider);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Live metrics are best effort: the store itself must not suffer from them.
            _logger.LogDebug(e, "Could not publish persistence metrics beside {Path}.", _storePath);
        }
    }
}
