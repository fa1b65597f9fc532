using System.Globalization;
using System.Text;

namespace Papyra.Hosting.Metrics;

/// <summary>
/// Writes metrics in the Prometheus text exposition format 0.0.4: per family one <c># HELP</c>,
/// one <c># TYPE</c>, then its samples, lines ended by <c>\n</c>.
/// </summary>
internal static class PrometheusTextWriter
{
    /// <summary>The content type of the format, as Prometheus scrapers expect it.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Renders the samples; each carries the same constant labels.</summary>
    /// <param name="samples">The samples; families with the same name must be adjacent.</param>
    /// <param name="labels">Constant labels (name, value) added to every sample.</param>
    /// <returns>The exposition text.</returns>
    public static string Write(IEnumerable<MetricSample> samples, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (KeyValuePair<string, string> label in labels)
        {
            if (!IsValidLabelName(label.Key))
            {
                throw new ArgumentException($"'{label.Key}' is not a valid Prometheus label name.", nameof(labels));
            }
        }

        string labelText = FormatLabels(labels);
        StringBuilder text = new();
        string? family = null;
        foreach (MetricSample sample in samples)
        {
            if (!IsValidMetricName(sample.PrometheusName))
            {
                throw new ArgumentException($"'{sample.PrometheusName}' is not a valid Prometheus metric name.", nameof(samples));
            }

            if (!string.Equals(family, sample.PrometheusName, StringComparison.Ordinal))
            {
                family = sample.PrometheusName;
                text.Append("# HELP ").Append(family).Append(' ').Append(EscapeHelp(sample.Help)).Append('\n');
                text.Append("# TYPE ").Append(family).Append(' ').Append(sample.Kind == MetricKind.Counter ? "counter" : "gauge").Append('\n');
            }

            text.Append(family).Append(labelText).Append(' ')
                .Append(sample.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Whether <paramref name="name"/> matches <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    /// <param name="name">The candidate.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidMetricName(string name)
        => name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    /// <summary>Whether <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and is not reserved (<c>__</c> prefix).</summary>
    /// <param name="name">The candidate.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidLabelName(string name)
        => name.Length > 0 && !char.IsAsciiDigit(name[0]) && !name.StartsWith("__", StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string FormatLabels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0)
        {
            return string.Empty;
        }

        StringBuilder text = new("{");
        for (int i = 0; i < labels.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(labels[i].Key).Append("=\"").Append(EscapeLabelValue(labels[i].Value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    // The format escapes backslash and newline in HELP, and additionally the double quote in label values.
    private static string EscapeHelp(string help)
        => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
