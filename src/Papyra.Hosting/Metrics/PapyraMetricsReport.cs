using System.Text;
using System.Text.Json;
using Papyra.Metrics;
using Papyra.Persistence;

namespace Papyra.Hosting.Metrics;

/// <summary>
/// The hosted system's metrics at one moment, rendered by the generated schema writers (so every
/// name, HELP text and type comes from the one schema declaration).
/// </summary>
/// <param name="SystemId">The actor system id.</param>
/// <param name="Backend">The backend identifier.</param>
/// <param name="Persistence">The backend's counters; <see langword="null"/> when it keeps none.</param>
/// <param name="Runtime">The runtime metrics.</param>
internal sealed record PapyraMetricsReport(string SystemId, string Backend, PersistenceMetricsSnapshot? Persistence, RuntimeMetricsSnapshot Runtime)
{
    /// <summary>The content type of Prometheus text exposition format 0.0.4.</summary>
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static PapyraMetricsReport Collect(PapyraHostedSystem hosted) => new(
        hosted.Options.SystemId,
        hosted.Backend.Name,
        (hosted.Backend as IPersistenceMetrics)?.GetMetricsSnapshot(),
        hosted.System.GetMetricsSnapshot());

    /// <summary>Writes <c>{"system_id", "backend", "persistence": {…}, "runtime": {…}}</c>.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("system_id", SystemId);
        writer.WriteString("backend", Backend);
        if (Persistence is not null)
        {
            writer.WritePropertyName("persistence");
            Persistence.WriteJson(writer);
        }

        writer.WritePropertyName("runtime");
        Runtime.WriteJson(writer);
        writer.WriteEndObject();
    }

    /// <summary>Renders both schemas in the Prometheus text exposition format.</summary>
    public string ToPrometheus()
    {
        StringBuilder text = new();
        using (StringWriter writer = new(text, System.Globalization.CultureInfo.InvariantCulture))
        {
            Persistence?.WritePrometheus(writer);
            Runtime.WritePrometheus(writer);
        }

        return text.ToString();
    }
}
