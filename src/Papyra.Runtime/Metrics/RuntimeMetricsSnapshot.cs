namespace Papyra.Metrics;

/// <summary>
/// A copy of an actor system's runtime metrics at one moment: counters are monotonic until reset,
/// gauges are current values. This declaration is the runtime metric schema: the generator emits
/// the properties, <see cref="RuntimeMetricNames"/> and <see cref="RuntimeMetricsInstruments"/> (meter <c>Papyra.Runtime</c>).
/// </summary>
[MetricSchema("Papyra.Runtime")]
[Metric("messages_processed", MetricKind.Counter, "Messages handled by actors, successfully or not", Unit = "{message}")]
[Metric("dead_letters", MetricKind.Counter, "Messages that could not be delivered or processed and became dead letters", Unit = "{message}")]
[Metric("restarts", MetricKind.Counter, "Actor restarts decided by supervision", Unit = "{restart}")]
[Metric("late_replies_dropped", MetricKind.Counter, "Ask replies dropped because the asker had already timed out or cancelled", Unit = "{message}")]
[Metric("mailbox_depth", MetricKind.Gauge, "Messages waiting in all mailboxes", Unit = "{message}")]
[Metric("actors_alive", MetricKind.Gauge, "Actors currently alive", Unit = "{actor}")]
public sealed partial record RuntimeMetricsSnapshot;
