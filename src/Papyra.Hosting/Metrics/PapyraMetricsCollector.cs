using Papyra.Persistence;

namespace Papyra.Hosting.Metrics;

/// <summary>Reads the hosted system's current metrics as samples named by the generated schema.</summary>
internal sealed class PapyraMetricsCollector
{
    public const string PersistenceGroup = "persistence";

    private readonly PapyraHostedSystem _hosted;

    public PapyraMetricsCollector(PapyraHostedSystem hosted) => _hosted = hosted;

    public IReadOnlyList<MetricSample> Collect()
    {
        List<MetricSample> samples = [];
        if (_hosted.Backend is IPersistenceMetrics metrics)
        {
            IReadOnlyDictionary<string, long> counters = metrics.GetMetricsSnapshot().ToDictionary();
            foreach (string name in PersistenceMetricNames.All)
            {
                if (counters.TryGetValue(name, out long value))
                {
                    samples.Add(new MetricSample(PersistenceGroup, name, $"papyra_persistence_{name}_total", $"Papyra persistence counter {name}.", MetricKind.Counter, value));
                }
            }
        }

        return samples;
    }
}
