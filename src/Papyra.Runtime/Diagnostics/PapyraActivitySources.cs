using Papyra.Metrics;
using Papyra.Persistence;

namespace Papyra.Diagnostics;

/// <summary>
/// The names of Papyra's <see cref="System.Diagnostics.ActivitySource"/>s, for OpenTelemetry's
/// <c>AddSource</c>. They equal the generated meter names, so one name subscribes to both the
/// metrics (<c>AddMeter</c>) and the spans of an area.
/// </summary>
public static class PapyraActivitySources
{
    /// <summary>
    /// Spans around persistence operations: <c>papyra.persistence.scan</c>, <c>papyra.persistence.recover</c>,
    /// <c>papyra.persistence.compact</c>, <c>papyra.persistence.write_batch</c> and <c>papyra.persistence.startup_check</c>.
    /// </summary>
    public const string Persistence = PersistenceMetricNames.Instruments.MeterName;

    /// <summary>The runtime's source (the same name as its meter).</summary>
    public const string Runtime = RuntimeMetricNames.Instruments.MeterName;
}
