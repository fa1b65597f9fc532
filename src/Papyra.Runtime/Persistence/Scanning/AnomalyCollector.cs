namespace Papyra.Persistence.Scanning;

/// <summary>Keeps the first anomalies of a scan (so a report stays small) while counting all of them.</summary>
internal sealed class AnomalyCollector(int maxKept)
{
    private readonly List<PersistenceAnomaly> _kept = [];

    public long Total { get; private set; }

    public IReadOnlyList<PersistenceAnomaly> Kept => _kept;

    public void Add(PersistenceAnomaly anomaly)
    {
        Total++;
        if (_kept.Count < maxKept)
        {
            _kept.Add(anomaly);
        }
    }
}
