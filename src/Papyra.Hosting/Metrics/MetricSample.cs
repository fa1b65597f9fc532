namespace Papyra.Hosting.Metrics;

/// <summary>One metric value as the metrics endpoint exposes it.</summary>
/// <param name="Group">The JSON group it belongs to (<c>persistence</c>, <c>runtime</c>).</param>
/// <param name="Name">The snapshot field name (the generated schema name, for example <c>records_written</c>).</param>
/// <param name="PrometheusName">The Prometheus metric family name.</param>
/// <param name="Help">The Prometheus <c># HELP</c> text.</param>
/// <param name="Kind">Counter or gauge.</param>
/// <param name="Value">The current value.</param>
internal readonly record struct MetricSample(string Group, string Name, string PrometheusName, string Help, MetricKind Kind, long Value);
