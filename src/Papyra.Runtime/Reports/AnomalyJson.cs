using Papyra.Persistence;

namespace Papyra.Reports;

/// <summary>
/// One anomaly as every Papyra report prints it (<c>papyra … --json</c>, <c>/papyra/healthz</c>, the
/// dashboard): <c>{type, line, offset, detail, path}</c>, <c>type</c> spelled as the enum name (SPEC §7.1).
/// </summary>
/// <param name="Type">The <see cref="PersistenceAnomalyType"/> name, e.g. <c>TruncatedLine</c>.</param>
/// <param name="Line">The 1-based line, when the anomaly has one.</param>
/// <param name="Offset">The 0-based byte offset of the line's first byte, when the anomaly has one.</param>
/// <param name="Detail">What is wrong, in one sentence.</param>
/// <param name="Path">The file (or stream) the anomaly is in.</param>
[PapyraInternal]
public sealed record AnomalyJson(string Type, long? Line, long? Offset, string? Detail, string Path)
{
    /// <summary>The report form of <paramref name="anomaly"/>.</summary>
    /// <param name="anomaly">The anomaly a scan found.</param>
    /// <returns>Its report form.</returns>
    public static AnomalyJson From(PersistenceAnomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new(anomaly.Type.ToString(), anomaly.Line, anomaly.Offset, anomaly.Detail, anomaly.Path);
    }

    /// <summary>The report form of every anomaly, in order.</summary>
    /// <param name="anomalies">The anomalies a scan listed.</param>
    /// <returns>Their report forms.</returns>
    public static IReadOnlyList<AnomalyJson> FromAll(IReadOnlyList<PersistenceAnomaly> anomalies)
    {
        ArgumentNullException.ThrowIfNull(anomalies);
        var list = new AnomalyJson[anomalies.Count];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = From(anomalies[i]);
        }

        return list;
    }
}
