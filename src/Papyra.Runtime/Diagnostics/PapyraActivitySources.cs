using Papyra.Persistence;

namespace Papyra.Diagnostics;

/// <summary>
/// The names of Papyra's <see cref="System.Diagnostics.ActivitySource"/>s, for OpenTelemetry's
/// <c>AddSource</c>. Each equals the generated meter name of its area, so one name subscribes to
/// both the metrics (<c>AddMeter</c>) and the spans. The runtime publishes metrics only (meter
/// <c>Papyra.Runtime</c>): tracing every message would cost the hot path and flood the exporter.
/// </summary>
public static class PapyraActivitySources
{
    /// <summary>
    /// Spans around persistence operations: <c>papyra.persistence.scan</c>, <c>papyra.persistence.recover</c>,
    /// <c>papyra.persistence.compact</c>, <c>papyra.persistence.write_batch</c> and <c>papyra.persistence.startup_check</c>.
    /// </summary>
    public const string Persistence = PersistenceMetricNames.Instruments.MeterName;
}
