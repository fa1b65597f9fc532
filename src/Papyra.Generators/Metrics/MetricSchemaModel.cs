using Papyra.Generators.Common;

namespace Papyra.Generators.Metrics
{
    /// <summary>The kind of a metric, mirroring <c>Papyra.Metrics.MetricKind</c>.</summary>
    internal enum MetricKindModel
    {
        /// <summary>A monotonic count (reset only explicitly).</summary>
        Counter = 0,

        /// <summary>A value that goes up and down (a depth, a population).</summary>
        Gauge = 1,
    }

    /// <summary>One metric of a schema.</summary>
    /// <param name="Name">The snake_case name (<c>records_written</c>).</param>
    /// <param name="PropertyName">The PascalCase member name (<c>RecordsWritten</c>).</param>
    /// <param name="Kind">Counter or gauge.</param>
    /// <param name="Description">One sentence for docs, HELP lines and instrument descriptions.</param>
    /// <param name="Unit">The UCUM unit of the instrument (<c>By</c>, <c>{record}</c>), or empty.</param>
    /// <param name="PrometheusName">The Prometheus exposition name (<c>papyra_persistence_records_written_total</c>).</param>
    /// <param name="InstrumentName">The System.Diagnostics.Metrics instrument name (<c>papyra.persistence.records_written</c>).</param>
    internal sealed record MetricModel(
        string Name,
        string PropertyName,
        MetricKindModel Kind,
        string Description,
        string Unit,
        string PrometheusName,
        string InstrumentName);

    /// <summary>A metric schema: the partial snapshot type marked <c>[MetricSchema]</c> and its metrics in declaration order.</summary>
    /// <param name="Snapshot">The snapshot type the schema is declared on.</param>
    /// <param name="MeterName">The <c>System.Diagnostics.Metrics</c> meter name (<c>Papyra.Persistence</c>).</param>
    /// <param name="NamesTypeName">The generated names class (<c>PersistenceMetricNames</c>).</param>
    /// <param name="InstrumentsTypeName">The generated instruments class (<c>PersistenceMetricsInstruments</c>).</param>
    /// <param name="Metrics">The metrics, in declaration order.</param>
    internal sealed record MetricSchemaModel(
        TypeShape Snapshot,
        string MeterName,
        string NamesTypeName,
        string InstrumentsTypeName,
        EquatableArray<MetricModel> Metrics);
}
