namespace Papyra.Generators.Tests.Metrics;

/// <summary>Metric schemas the tests feed the generator.</summary>
internal static class MetricSchemaSources
{
    public const string OrderSchema = """
        using Papyra.Metrics;

        namespace Shop.Telemetry;

        /// <summary>Order metrics.</summary>
        [MetricSchema("Shop.Orders")]
        [Metric("orders_placed", MetricKind.Counter, "Orders placed", Unit = "{order}")]
        [Metric("bytes_sent", MetricKind.Counter, "Bytes sent to <carriers> & partners", Unit = "By")]
        [Metric("queue_depth", MetricKind.Gauge, "Orders waiting")]
        public sealed partial record OrderMetricsSnapshot;
        """;

    public const string NestedStructSchema = """
        using Papyra.Metrics;

        namespace Shop.Telemetry
        {
            public static partial class Outer
            {
                /// <summary>Cache metrics.</summary>
                [MetricSchema("Shop.Cache")]
                [Metric("hits", MetricKind.Counter, "Cache hits")]
                [Metric("entries", MetricKind.Gauge, "Entries held")]
                internal partial struct CacheMetricsSnapshot
                {
                }
            }
        }
        """;
}
