using Papyra.Persistence;
using Papyra.Persistence.Memory;

namespace Papyra.Hosting.Tests.Support;

/// <summary>
/// An in-memory store whose scans report the anomalies a test sets, and whose repair clears them:
/// the hosting logic under test only sees the backend contract.
/// </summary>
public sealed class DamagedStoreBackend : IPersistenceBackend, IPersistenceScanner, IPersistenceRecoverer, IPersistenceMetrics
{
    private readonly InMemoryPersistenceBackend _inner = new();
    private volatile PersistenceAnomaly[] _anomalies;
    private int _scans;

    public DamagedStoreBackend(params PersistenceAnomaly[] anomalies) => _anomalies = anomalies;

    public string Name => "damaged";

    public RetentionPolicy Retention => _inner.Retention;

    public bool Disposed { get; private set; }

    public int StoredRecords => _inner.Count;

    public int Scans => Volatile.Read(ref _scans);

    public void Damage(params PersistenceAnomaly[] anomalies) => _anomalies = anomalies;

    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => _inner.RecordEventAsync(record, cancellationToken);

    public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => _inner.RecordAuditAsync(record, cancellationToken);

    public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => _inner.RecordDeadLetterAsync(record, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => _inner.ReadEventsAsync(query, cancellationToken);

    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => _inner.ReadAuditsAsync(query, cancellationToken);

    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => _inner.ReadDeadLettersAsync(query, cancellationToken);

    public ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _scans);
        return ValueTask.FromResult(new PersistenceScanReport(Name, "damaged://store", _anomalies));
    }

    public async ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default)
    {
        PersistenceScanReport before = await ScanAsync(cancellationToken);
        if (config?.Mode is PersistenceRecoveryMode.Repair or PersistenceRecoveryMode.Quarantine)
        {
            _anomalies = [];
        }

        PersistenceScanReport after = await ScanAsync(cancellationToken);
        return new PersistenceRecoveryReport(Name, config?.Mode ?? PersistenceRecoveryMode.Ignore, before, after, [], [], []);
    }

    public PersistenceMetricsSnapshot GetMetricsSnapshot() => ((IPersistenceMetrics)_inner).GetMetricsSnapshot();

    public void ResetMetrics() => ((IPersistenceMetrics)_inner).ResetMetrics();

    public async ValueTask DisposeAsync()
    {
        Disposed = true;
        await _inner.DisposeAsync();
    }
}
