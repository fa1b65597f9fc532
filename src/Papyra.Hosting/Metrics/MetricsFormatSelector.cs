using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Papyra.Hosting.Metrics;

/// <summary>
/// Chooses the metrics representation: <c>?format=json|prometheus</c> wins; otherwise the
/// <c>Accept</c> header picks Prometheus text when <c>text/plain</c> (or OpenMetrics, which
/// Prometheus scrapers list first and which falls back to 0.0.4 text) ranks above JSON; JSON otherwise.
/// </summary>
internal static class MetricsFormatSelector
{
    /// <summary>Selects the format.</summary>
    /// <param name="request">The request.</param>
    /// <param name="error">Why the request's <c>format</c> is unusable, when it is.</param>
    /// <returns>The format, or <see langword="null"/> with <paramref name="error"/> set.</returns>
    public static MetricsFormat? Select(HttpRequest request, out string? error)
    {
        error = null;
        if (request.Query.TryGetValue("format", out StringValues values))
        {
            string? format = values.Count == 1 ? values[0] : null;
            if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            {
                return MetricsFormat.Json;
            }

            if (string.Equals(format, "prometheus", StringComparison.OrdinalIgnoreCase) || string.Equals(format, "text", StringComparison.OrdinalIgnoreCase))
            {
                return MetricsFormat.Prometheus;
            }

            error = $"Unknown metrics format '{values}': use format=json or format=prometheus.";
            return null;
        }

        IList<MediaTypeHeaderValue> accepted = request.GetTypedHeaders().Accept;
        double json = -1;
        double text = -1;
        foreach (MediaTypeHeaderValue media in accepted)
        {
            double quality = media.Quality ?? 1.0;
            if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
            else if (media.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
                || media.MediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                text = Math.Max(text, quality);
            }
        }

        return text > 0 && text > json ? MetricsFormat.Prometheus : MetricsFormat.Json;
    }
}
