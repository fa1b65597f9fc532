namespace Papyra.Hosting.Metrics;

/// <summary>The representation the metrics endpoint answers with.</summary>
internal enum MetricsFormat
{
    /// <summary>A JSON object of counters by their generated names.</summary>
    Json,

    /// <summary>Prometheus text exposition format 0.0.4.</summary>
    Prometheus,
}
