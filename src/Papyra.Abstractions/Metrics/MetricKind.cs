namespace Papyra.Metrics;

/// <summary>How a metric behaves, which decides its instrument and its Prometheus type.</summary>
public enum MetricKind
{
    /// <summary>A count that only grows until it is explicitly reset (an observable counter; Prometheus <c>counter</c>, name ending in <c>_total</c>).</summary>
    Counter = 0,

    /// <summary>A current value that goes up and down, such as a depth or a population (an observable gauge; Prometheus <c>gauge</c>).</summary>
    Gauge = 1,
}
