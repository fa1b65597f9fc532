using System.Globalization;
using System.Text.Json;
using Papyra.Persistence.Retention;

namespace Papyra.Persistence.Metrics;

/// <summary>
/// The live metrics file beside a file store: a running backend publishes its counters to
/// <c>&lt;store&gt;.metrics.json</c> (replaced atomically, about once a second and when it closes), so
/// another process (the CLI) can show them. A reset is requested by creating
/// <c>&lt;store&gt;.metrics.reset</c>: the publishing backend zeroes its counters and deletes the request.
/// </summary>
/// <remarks>
/// Shape: <c>{"pid":…,"published_at":…,"backend":"json","path":"…","counters":{"records_written":…,…}}</c>
/// with the counters named by <see cref="PersistenceMetricNames"/>.
/// </remarks>
public static class PersistenceMetricsFile
{
    /// <summary>The suffix of the metrics file.</summary>
    public const string MetricsSuffix = ".metrics.json";

    /// <summary>The suffix of a reset request.</summary>
    public const string ResetRequestSuffix = ".metrics.reset";

    /// <summary>The metrics file of a store.</summary>
    /// <param name="storePath">The store's file path.</param>
    /// <returns><c>&lt;store&gt;.metrics.json</c>.</returns>
    public static string MetricsPathFor(string storePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(storePath);
        return storePath + MetricsSuffix;
    }

    /// <summary>The reset request file of a store.</summary>
    /// <param name="storePath">The store's file path.</param>
    /// <returns><c>&lt;store&gt;.metrics.reset</c>.</returns>
    public static string ResetRequestPathFor(string storePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(storePath);
        return storePath + ResetRequestSuffix;
    }

    /// <summary>Publishes a snapshot atomically (temp file, rename).</summary>
    /// <param name="storePath">The store's file path.</param>
    /// <param name="backend">The backend identifier.</param>
    /// <param name="snapshot">The counters.</param>
    /// <param name="timeProvider">The clock for <c>published_at</c>; the system clock by default.</param>
    public static void Publish(string storePath, string backend, PersistenceMetricsSnapshot snapshot, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(snapshot);
        string target = MetricsPathFor(storePath);
        string temp = $"{target}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteNumber("pid", Environment.ProcessId);
                writer.WriteNumber("published_at", RetentionEvaluator.UnixNow(timeProvider ?? TimeProvider.System));
                writer.WriteString("backend", backend);
                writer.WriteString("path", Path.GetFullPath(storePath));
                writer.WriteStartObject("counters");
                foreach (KeyValuePair<string, long> counter in snapshot.ToDictionary())
                {
                    writer.WriteNumber(counter.Key, counter.Value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Reads the snapshot a running process published for a store.</summary>
    /// <param name="storePath">The store's file path.</param>
    /// <param name="timeProvider">The clock the age is measured with; the system clock by default.</param>
    /// <returns>The published metrics, or <see langword="null"/> when there is no (readable) metrics file.</returns>
    public static PersistenceLiveMetrics? TryRead(string storePath, TimeProvider? timeProvider = null)
    {
        string path = MetricsPathFor(storePath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("counters", out JsonElement counters) || counters.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (JsonProperty counter in counters.EnumerateObject())
            {
                if (counter.Value.TryGetInt64(out long value))
                {
                    values[counter.Name] = value;
                }
            }

            double publishedAt = root.TryGetProperty("published_at", out JsonElement at) && at.TryGetDouble(out double seconds) ? seconds : 0;
            double now = RetentionEvaluator.UnixNow(timeProvider ?? TimeProvider.System);
            int processId = root.TryGetProperty("pid", out JsonElement pid) && pid.TryGetInt32(out int id) ? id : 0;
            return new PersistenceLiveMetrics(
                processId,
                publishedAt,
                TimeSpan.FromSeconds(Math.Max(0, now - publishedAt)),
                root.TryGetProperty("backend", out JsonElement backend) ? backend.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("path", out JsonElement p) ? p.GetString() ?? storePath : storePath,
                ToSnapshot(values))
            {
                PublisherRunning = IsRunning(processId),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Asks the process publishing a store's metrics to reset its counters (it does so within about a second).</summary>
    /// <param name="storePath">The store's file path.</param>
    public static void RequestReset(string storePath)
    {
        File.WriteAllText(ResetRequestPathFor(storePath), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whether a file beside a store is one of the metrics side files (never a stray file).</summary>
    internal static bool IsSideFile(string storeFileName, string candidateFileName)
        => candidateFileName == storeFileName + MetricsSuffix
        || candidateFileName == storeFileName + ResetRequestSuffix
        || (candidateFileName.StartsWith(storeFileName + MetricsSuffix + ".", StringComparison.Ordinal) && candidateFileName.EndsWith(".tmp", StringComparison.Ordinal));

    private static PersistenceMetricsSnapshot ToSnapshot(Dictionary<string, long> values)
    {
        long Get(string name) => values.TryGetValue(name, out long v) ? v : 0;
        return new PersistenceMetricsSnapshot
        {
            RecordsWritten = Get(PersistenceMetricNames.RecordsWritten),
            BytesWritten = Get(PersistenceMetricNames.BytesWritten),
            WriteErrors = Get(PersistenceMetricNames.WriteErrors),
            RecordsRead = Get(PersistenceMetricNames.RecordsRead),
            ReadErrors = Get(PersistenceMetricNames.ReadErrors),
            Scans = Get(PersistenceMetricNames.Scans),
            ScanErrors = Get(PersistenceMetricNames.ScanErrors),
            AnomaliesDetected = Get(PersistenceMetricNames.AnomaliesDetected),
            Recoveries = Get(PersistenceMetricNames.Recoveries),
            RecoveryErrors = Get(PersistenceMetricNames.RecoveryErrors),
            Compactions = Get(PersistenceMetricNames.Compactions),
            CompactionErrors = Get(PersistenceMetricNames.CompactionErrors),
            Rotations = Get(PersistenceMetricNames.Rotations),
            RotationDroppedRecords = Get(PersistenceMetricNames.RotationDroppedRecords),
        };
    }

    private static bool IsRunning(int processId)
    {
        if (processId <= 0)
        {
            return false;
        }

        if (processId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }
}
