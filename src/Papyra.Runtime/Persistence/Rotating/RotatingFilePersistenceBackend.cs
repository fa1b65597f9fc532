using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Files;
using Papyra.Persistence.Metrics;
using Papyra.Persistence.Scanning;

namespace Papyra.Persistence.Rotating;

/// <summary>
/// A set of NDJSON files with bounded disk usage: the active file <c>&lt;path&gt;</c> and rotated files
/// <c>&lt;path&gt;.1</c> (newest) … <c>&lt;path&gt;.&lt;MaxFiles-1&gt;</c> (oldest). Before a record would push
/// the active file past <see cref="MaxBytes"/> the set rotates; when it is full the oldest file is
/// deleted, and the records it held are counted in <c>rotation_dropped_records</c> and logged.
/// Reads, retention, scan, recovery and compaction work over the whole set, oldest record first.
/// The set is discovered from the directory, never assumed from <see cref="MaxFiles"/>: every
/// <c>&lt;path&gt;.N</c> that exists is read (a set written with more files than this backend keeps
/// loses nothing until this backend rotates it, which deletes the files beyond its own limit and
/// counts their records as dropped). Scan flags stray files named <c>&lt;name&gt;*</c> that are not
/// part of the set as <see cref="PersistenceAnomalyType.OrphanedRotatedFile"/> (Papyra's own side
/// files — live metrics, <c>.rejected.*</c> sidecars, <c>.quarantine.*</c> copies and the temp
/// files of an interrupted rewrite — are not strays).
/// </summary>
public sealed partial class RotatingFilePersistenceBackend :
    IPersistenceBackend, IPersistenceStreamReader, IPersistenceScanner, IPersistenceRecoverer, IPersistenceCompactor, IPersistenceMetrics, IPersistenceLiveMetricsSource
{
    /// <summary>The backend identifier.</summary>
    public const string BackendName = "rotating";

    private readonly LineFileStore _store;

    /// <summary>Creates a backend with the default limits (50,000,000 bytes × 5 files, Fsync durability).</summary>
    /// <param name="path">The active file.</param>
    public RotatingFilePersistenceBackend(string path)
        : this(new RotatingFilePersistenceOptions { Path = path })
    {
    }

    /// <summary>Creates a backend.</summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The path is empty or invalid, or a limit is out of range.</exception>
    public RotatingFilePersistenceBackend(RotatingFilePersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string path = FileStoreSettings.ValidatePath(options.Path, nameof(options));
        if (options.MaxBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxBytes, $"Invalid MaxBytes {options.MaxBytes.ToString(CultureInfo.InvariantCulture)}: it must be 1 or greater.");
        }

        if (options.MaxFiles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxFiles, $"Invalid MaxFiles {options.MaxFiles.ToString(CultureInfo.InvariantCulture)}: it must be 1 or greater.");
        }

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
        MaxBytes = options.MaxBytes;
        MaxFiles = options.MaxFiles;
        Durability = options.Durability;
        Retention = settings.Retention;
        var layout = new RotationLayout(path, options.MaxFiles);
        _store = new LineFileStore(settings, layout, metrics => new Rotator(layout, options.MaxBytes, metrics, settings.Logger));
    }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <summary>The active file's full path.</summary>
    public string Path { get; }

    /// <summary>The size an active file may reach before rotating.</summary>
    public long MaxBytes { get; }

    /// <summary>How many files the set holds, the active one included.</summary>
    public int MaxFiles { get; }

    /// <summary>How durable a completed write is.</summary>
    public PersistenceDurability Durability { get; }

    /// <inheritdoc/>
    public RetentionPolicy Retention { get; }

    /// <summary>The files of the set, active first: <c>&lt;path&gt;</c>, <c>&lt;path&gt;.1</c>, …</summary>
    /// <returns>Every slot's path, whether or not it exists.</returns>
    public IReadOnlyList<string> SetFiles() => [.. Enumerable.Range(0, MaxFiles).Select(k => RotationLayout.Slot(Path, k))];

    /// <inheritdoc/>
    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => _store.WriteAsync(record, cancellationToken);

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
    /// <remarks>
    /// Repair rewrites each damaged file of the set in place (valid lines byte-for-byte, rejected lines
    /// to that file's sidecar) and renames stray files to <c>&lt;stray&gt;.quarantine.&lt;epoch_ms&gt;</c>;
    /// Quarantine moves damaged and stray files to the quarantine directory. Neither applies retention.
    /// </remarks>
    public ValueTask<PersistenceRecoveryReport> RecoverAsync(PersistenceRecoveryConfig? config = null, CancellationToken cancellationToken = default)
        => _store.RecoverAsync(config, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// Each file of the set that changes is replaced atomically (temp, fsync, rename, directory fsync),
    /// oldest first; a rotated file left with no record is deleted. An interrupted compaction leaves
    /// every file either old or new and complete.
    /// </remarks>
    public ValueTask<CompactionReport> CompactAsync(CancellationToken cancellationToken = default) => _store.CompactAsync(cancellationToken);

    /// <inheritdoc/>
    public PersistenceMetricsSnapshot GetMetricsSnapshot() => _store.Metrics.Snapshot();

    /// <inheritdoc/>
    public void ResetMetrics() => _store.Metrics.Reset();

    /// <summary>Writes and syncs pending records, publishes the final metrics and closes the active file.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private sealed partial class RotationLayout(string path, int maxFiles) : IFileSetLayout
    {
        private readonly string _directory = StoreFiles.DirectoryOf(path);
        private readonly string _name = System.IO.Path.GetFileName(path);

        public string PrimaryPath => path;

        public int MaxFiles => maxFiles;

        public static string Slot(string path, int k) => k == 0 ? path : $"{path}.{k.ToString(CultureInfo.InvariantCulture)}";

        public IReadOnlyList<string> DataFilesOldestFirst()
        {
            StoreFiles.ThrowIfNotRegularFile(path);
            var files = new List<string>();
            foreach ((int _, string slot) in RotatedSlots())
            {
                if (IsReadable(slot))
                {
                    files.Add(slot);
                }
            }

            if (File.Exists(path))
            {
                files.Add(path);
            }

            return files;
        }

        /// <summary>The rotated files <c>&lt;path&gt;.N</c> (N ≥ 1) that exist as files, oldest (highest N) first.</summary>
        public List<(int Index, string Path)> RotatedSlots()
        {
            var slots = new List<(int, string)>();
            if (!Directory.Exists(_directory))
            {
                return slots;
            }

            foreach (string entry in Directory.EnumerateFiles(_directory, _name + ".*"))
            {
                int k = SlotIndex(System.IO.Path.GetFileName(entry));
                if (k > 0)
                {
                    slots.Add((k, entry));
                }
            }

            slots.Sort((a, b) => b.Item1.CompareTo(a.Item1));
            return slots;
        }

        public void AddLayoutAnomalies(AnomalyCollector anomalies)
        {
            foreach ((string entry, bool slot) in StrayEntries())
            {
                anomalies.Add(slot
                    ? new PersistenceAnomaly(PersistenceAnomalyType.PartialWrite, entry, null, null, $"The rotation slot '{System.IO.Path.GetFileName(entry)}' could not be read (a directory or no permission).")
                    : new PersistenceAnomaly(PersistenceAnomalyType.OrphanedRotatedFile, entry, null, null, $"'{System.IO.Path.GetFileName(entry)}' is not part of the rotation set of '{_name}' (its files are '{_name}' and '{_name}.N')."));
            }
        }

        public IReadOnlyList<(string Path, bool Repairable)> FilesToMoveAside()
            => [.. StrayEntries().Select(e => (e.Path, Repairable: !e.Slot))];

        private List<(string Path, bool Slot)> StrayEntries()
        {
            var strays = new List<(string, bool)>();
            if (!Directory.Exists(_directory))
            {
                return strays;
            }

            foreach (string entry in Directory.EnumerateFileSystemEntries(_directory, _name + "*").Order(StringComparer.Ordinal))
            {
                string name = System.IO.Path.GetFileName(entry);
                int slot = SlotIndex(name);
                if (slot == 0)
                {
                    continue;
                }

                if (slot > 0)
                {
                    if (Directory.Exists(entry) || !IsReadable(entry))
                    {
                        strays.Add((entry, true));
                    }

                    continue;
                }

                if (!PersistenceMetricsFile.IsSideFile(_name, name) && !SideFile().IsMatch(name[_name.Length..])
                    && !StoreFiles.IsRewriteTemp(name.AsSpan(_name.Length), out _))
                {
                    strays.Add((entry, false));
                }
            }

            return strays;
        }

        private int SlotIndex(string name)
        {
            if (name == _name)
            {
                return 0;
            }

            return name.Length > _name.Length + 1 && name[_name.Length] == '.'
                && int.TryParse(name.AsSpan(_name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                && k >= 1 && name == System.IO.Path.GetFileName(Slot(path, k))
                ? k
                : -1;
        }

        private static bool IsReadable(string file)
        {
            try
            {
                using SafeFileHandle? handle = StoreFiles.TryOpenForReading(file);
                return handle is not null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        // Recovery's own products beside any file of the set or a stray it moved aside:
        // ".rejected.<ms>" and ".quarantine.<ms>" (a repaired stray "<name>.bak" becomes "<name>.bak.quarantine.<ms>").
        [GeneratedRegex(@"^(\..+)?\.(rejected|quarantine)\.[0-9]+$", RegexOptions.CultureInvariant)]
        private static partial Regex SideFile();
    }

    private sealed class Rotator(RotationLayout layout, long maxBytes, PersistenceMetricsRecorder metrics, ILogger logger) : IRotationHook
    {
        public bool ShouldRotate(long activeBytes, int lineBytes) => activeBytes + lineBytes > maxBytes;

        public void Rotate()
        {
            string path = layout.PrimaryPath;
            long dropped = 0;
            string oldest = RotationLayout.Slot(path, layout.MaxFiles - 1);

            // The oldest slot makes room; so do files beyond this backend's limit that a set written
            // with more files left (a set is discovered, so they were read until now).
            foreach ((int index, string slot) in layout.RotatedSlots())
            {
                if (index >= layout.MaxFiles - 1)
                {
                    dropped += CountLines(slot);
                    File.Delete(slot);
                    oldest = slot;
                }
            }

            if (layout.MaxFiles == 1 && File.Exists(path))
            {
                // A set of one file: the active file itself is the oldest.
                dropped += CountLines(path);
                File.Delete(path);
            }

            for (int k = layout.MaxFiles - 2; k >= 1; k--)
            {
                string from = RotationLayout.Slot(path, k);
                if (File.Exists(from))
                {
                    File.Move(from, RotationLayout.Slot(path, k + 1), overwrite: true);
                }
            }

            if (layout.MaxFiles > 1 && File.Exists(path))
            {
                File.Move(path, RotationLayout.Slot(path, 1), overwrite: true);
            }

            StoreFiles.FsyncDirectory(StoreFiles.DirectoryOf(path));
            metrics.RecordRotation(dropped);
            if (dropped > 0)
            {
                logger.LogWarning(
                    "Rotating store {Path} is full ({MaxFiles} files): deleted {Oldest} and its {Dropped} records.",
                    path, layout.MaxFiles, oldest, dropped);
            }
            else
            {
                logger.LogInformation("Rotated store {Path}.", path);
            }
        }

        private static long CountLines(string file)
        {
            using SafeFileHandle handle = StoreFiles.OpenForReading(file);
            byte[] buffer = new byte[1 << 16];
            long position = 0;
            long lines = 0;
            byte last = (byte)'\n';
            int read;
            while ((read = RandomAccess.Read(handle, buffer, position)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                last = buffer[read - 1];
                position += read;
            }

            return lines + (last == (byte)'\n' ? 0 : 1);
        }
    }

    /// <inheritdoc/>
    public ValueTask<PersistenceLiveMetrics?> ReadLiveMetricsAsync(CancellationToken cancellationToken = default) => LiveMetricsFileSource.ReadAsync(Path);

    /// <inheritdoc/>
    public ValueTask<string?> RequestMetricsResetAsync(CancellationToken cancellationToken = default) => LiveMetricsFileSource.RequestResetAsync(Path);
}
