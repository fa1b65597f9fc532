namespace Papyra.Hosting.Metrics;

/// <summary>How a metric behaves, which decides its Prometheus <c># TYPE</c>.</summary>
internal enum MetricKind
{
    /// <summary>A monotonic count (until reset); exposed with the <c>_total</c> suffix.</summary>
    Counter,

    /// <summary>A value that goes up and down (mailbox depth, actors alive).</summary>
    Gauge,
}
