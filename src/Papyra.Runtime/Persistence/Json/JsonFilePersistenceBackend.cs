using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Files;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Scanning;

namespace Papyra.Persistence.Json;

/// <summary>
/// The JSON-lines file backend, Papyra's embedded default: one NDJSON file, one record per line,
/// appended durably (group commit by default). Reads apply retention logically; scans stream the
/// file with bounded memory; recovery repairs (valid lines kept byte-for-byte, rejected lines moved
/// to <c>&lt;file&gt;.rejected.&lt;epoch_ms&gt;</c>) or quarantines; compaction rewrites atomically.
/// </summary>
/// <remarks>
/// One backend instance (one process) writes a store at a time. A missing file is an empty,
/// healthy store: reads and scans create nothing. A path naming a directory, or a file that
/// cannot be read, fails with an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>
/// whose message names the path.
/// </remarks>
public sealed class JsonFilePersistenceBackend :
    IPersistenceBackend, IPersistenceStreamReader, IPersistenceScanner, IPersistenceRecoverer, IPersistenceCompactor, IPersistenceMetrics, IInlineEventAppender, IPersistenceLiveMetricsSource
{
    /// <summary>The backend identifier.</summary>
    public const string BackendName = "json";

    private readonly LineFileStore _store;

    /// <summary>The store under the backend, for tests that gate its maintenance.</summary>
    internal LineFileStore Store => _store;

    /// <summary>Creates a backend for a file with the default options (Fsync durability, no retention).</summary>
    /// <param name="path">The NDJSON file.</param>
    public JsonFilePersistenceBackend(string path)
        : this(new JsonFilePersistenceOptions { Path = path })
    {
    }

    /// <summary>Creates a backend.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The path is empty or invalid, or a limit is out of range.</exception>
    public JsonFilePersistenceBackend(JsonFilePersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = FileStoreSettings.ValidatePath(options.Path, nameof(options));
        if (!Enum.IsDefined(options.Durability))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Durability, $"Unknown durability {options.Durability}.");
        }

        var settings = new FileStoreSettings(
            BackendName,
            path,
            options.Durability,
            options.Retention ?? RetentionPolicy.Unlimited,
            options.TimeProvider ?? TimeProvider.System,
            options.Logger ?? NullLogger.Instance,
            FileStoreSettings.ValidateMaxLineBytes(options.MaxLineBytes, nameof(options)),
            FileStoreSettings.ValidateMaxNestingDepth(options.MaxNestingDepth, nameof(options)),
            FileStoreSettings.ValidateMaxReportedAnomalies(options.MaxReportedAnomalies, nameof(options)),
            options.PublishMetrics,
            options.MetricsPublishInterval > TimeSpan.Zero ? options.MetricsPublishInterval : TimeSpan.FromSeconds(1));
        Path = path;
        Durability = options.Durability;
        Retention = settings.Retention;
        _store = new LineFileStore(settings, new SingleFileLayout(path));
    }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <summary>The store file's full path.</summary>
    public string Path { get; }

    /// <summary>How durable a completed write is.</summary>
    public PersistenceDurability Durability { get; }

    /// <inheritdoc/>
    public RetentionPolicy Retention { get; }

    /// <inheritdoc/>
    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => _store.WriteAsync(record, cancellationToken);

    /// <inheritdoc/>
    bool IInlineEventAppender.AppendsInline => _store.AppendsInline;

    /// <inheritdoc/>
    ReadOnlySpan<byte> IInlineEventAppender.SerializeEvent(PersistedEvent record) => _store.Serialize(record);

    /// <inheritdoc/>
    int IInlineEventAppender.SerializeEvent(System.Buffers.IBufferWriter<byte> destination, string systemId, ActorAddress address, string eventType, System.Text.Json.JsonElement? payload, double timestamp)
        => _store.SerializeEvent(destination, systemId, address, eventType, payload, timestamp);

    /// <inheritdoc/>
    void IInlineEventAppender.AppendSerializedEvent(ReadOnlySpan<byte> line, out Task durable) => _store.AppendSerialized(line, out durable);

    /// <inheritdoc/>
    bool IInlineEventAppender.NumbersUnderItsLock => true;

    /// <inheritdoc/>
    void IInlineEventAppender.AppendSerializedEvent<TState>(ReadOnlySpan<byte> line, Action<TState> onPlaced, TState state, out Task durable)
        => _store.AppendSerialized(line, onPlaced, state, out durable);

    /// <inheritdoc/>
    bool IInlineEventAppender.TryAttachSequence(EventSequence sequence) => _store.TryAttachSequence(sequence);

    /// <inheritdoc/>
    void IInlineEventAppender.AppendNextNumberedEvent(ReadOnlySpan<byte> line, out long sequence, out Task durable) => _store.AppendNextNumbered(line, out sequence, out durable);

    /// <inheritdoc/>
    public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => _store.WriteAsync(record, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => _store.WriteAsync(record, cancellationToken);

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _store.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => _store.ReadAsync<PersistedEvent>(PersistedRecordKind.Event, query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => _store.ReadAsync<PersistedAudit>(PersistedRecordKind.Audit, query, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
        => _store.ReadAsync<PersistedDeadLetter>(PersistedRecordKind.DeadLetter, query, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default) => _store.Streaming.ReadAsync(request, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, CancellationToken cancellationToken = default) => _store.Streaming.FollowAsync(request, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken = default) => _store.Streaming.CountAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceScanReport> ScanAsync(CancellationToken cancellationToken = default) => _store.ScanAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default)
        => _store.RecoverAsync(config, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken = default) => _store.CompactAsync(cancellationToken);

    /// <inheritdoc/>
    public PersistenceMetricsSnapshot GetMetricsSnapshot() => _store.Metrics.Snapshot();

    /// <inheritdoc/>
    public void ResetMetrics() => _store.Metrics.Reset();

    /// <summary>Writes and syncs pending records, publishes the final metrics and closes the file. Later writes are ignored.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private sealed class SingleFileLayout(string path) : IFileSetLayout
    {
        public string PrimaryPath => path;

        public IReadOnlyList<string> DataFilesOldestFirst()
        {
            StoreFiles.ThrowIfNotRegularFile(path);
            return File.Exists(path) ? [path] : [];
        }

        public void AddLayoutAnomalies(AnomalyCollector anomalies)
        {
        }

        public IReadOnlyList<(string Path, bool Repairable)> FilesToMoveAside() => [];
    }

    /// <inheritdoc/>
    public ValueTask<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken = default) => LiveMetricsFileSource.ReadAsync(Path);

    /// <inheritdoc/>
    public ValueTask<string?> RequestMetricsResetAsync(CancellationToken cancellationToken = default) => LiveMetricsFileSource.RequestResetAsync(Path);
}
