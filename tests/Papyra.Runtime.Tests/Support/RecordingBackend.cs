using System.Collections.Concurrent;
using Papyra.Persistence;

namespace Papyra.Runtime.Tests.Support;

/// <summary>A backend that keeps records in order and can be told to fail writes or scans.</summary>
internal sealed class RecordingBackend : IPersistenceBackend, IPersistenceScanner
{
    public ConcurrentQueue<PersistedRecord> Records { get; } = new();

    public bool FailWrites { get; set; }

    public int ScanFailuresLeft { get; set; }

    public bool Disposed { get; private set; }

    public int Flushes;

    public string Name => "recording";

    public RetentionPolicy Retention => RetentionPolicy.Unlimited;

    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => Write(record);

    public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => Write(record);

    public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => Write(record);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Flushes);
        return ValueTask.CompletedTask;
    }

    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PersistenceAnomaly> anomalies = ScanFailuresLeft-- > 0
            ? [new PersistenceAnomaly(PersistenceAnomalyType.CorruptedLine, "store", 1, 0, "broken")]
            : [];
        return ValueTask.FromResult(new PersistenceScanReport(Name, "store", anomalies));
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private ValueTask Write(PersistedRecord record)
    {
        if (FailWrites)
        {
            throw new IOException("disk full");
        }

        Records.Enqueue(record);
        return ValueTask.CompletedTask;
    }
}
