namespace Papyra.Metrics;

/// <summary>
/// Declares a metric schema on a partial snapshot type (for example <c>PersistenceMetricsSnapshot</c>).
/// With the <c>[Metric]</c> attributes beside it, this is the only place a metric name is written:
/// the Papyra source generator emits the snapshot's properties, <c>Zero</c>, <c>ToDictionary</c>,
/// <c>FromDictionary</c>, the JSON and Prometheus writers, the names class (<c>…MetricNames</c>) and
/// the <c>System.Diagnostics.Metrics</c> instruments class (<c>…MetricsInstruments</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class MetricSchemaAttribute : Attribute
{
    /// <summary>Declares a schema published on the meter <paramref name="meterName"/>.</summary>
    /// <param name="meterName">The meter name, for example <c>Papyra.Persistence</c>; it also prefixes instrument and Prometheus names.</param>
    public MetricSchemaAttribute(string meterName) => MeterName = meterName;

    /// <summary>The <c>System.Diagnostics.Metrics</c> meter name.</summary>
    public string MeterName { get; }
}
