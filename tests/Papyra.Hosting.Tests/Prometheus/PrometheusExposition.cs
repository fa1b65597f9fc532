using System.Globalization;
using System.Text;

namespace Papyra.Hosting.Tests.Prometheus;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, written from the format's
/// specification, so the tests check Papyra's output against the format rather than against itself.
/// Anything the format does not allow throws <see cref="FormatException"/> naming the line.
/// </summary>
public static class PrometheusExposition
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyList<MetricFamily> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a line feed.");
        }

        if (text.Contains('\r', StringComparison.Ordinal))
        {
            throw new FormatException("Lines must be separated by a line feed alone.");
        }

        List<MetricFamily> families = [];
        Dictionary<string, MetricFamily> byName = new(StringComparer.Ordinal);
        HashSet<string> closed = new(StringComparer.Ordinal);
        HashSet<string> series = new(StringComparer.Ordinal);
        MetricFamily? current = null;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length - 1; i++)
        {
            string line = lines[i];
            int number = i + 1;
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                string[] parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    string name = parts[2];
                    RequireMetricName(name, number);
                    MetricFamily family = Enter(name, number);
                    if (parts[1] == "HELP")
                    {
                        if (family.Help is not null)
                        {
                            throw new FormatException($"Line {number}: second HELP for {name}.");
                        }

                        family.Help = parts.Length == 4 ? Unescape(parts[3], number, inLabel: false) : string.Empty;
                    }
                    else
                    {
                        if (family.Type is not null)
                        {
                            throw new FormatException($"Line {number}: second TYPE for {name}.");
                        }

                        if (family.Samples.Count > 0)
                        {
                            throw new FormatException($"Line {number}: TYPE for {name} after its samples.");
                        }

                        string type = parts.Length == 4 ? parts[3] : string.Empty;
                        if (!Types.Contains(type, StringComparer.Ordinal))
                        {
                            throw new FormatException($"Line {number}: unknown metric type '{type}'.");
                        }

                        family.Type = type;
                    }
                }

                continue;
            }

            Sample sample = ParseSample(line, number);
            string familyName = FamilyOf(sample.Name);
            MetricFamily owner = Enter(familyName, number);
            if (!series.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}"))
            {
                throw new FormatException($"Line {number}: duplicate series {sample.Name}.");
            }

            owner.Samples.Add(sample);
        }

        return families;

        MetricFamily Enter(string name, int number)
        {
            if (current is not null && current.Name == name)
            {
                return current;
            }

            if (current is not null)
            {
                closed.Add(current.Name);
            }

            if (closed.Contains(name))
            {
                throw new FormatException($"Line {number}: lines of metric family {name} are not contiguous.");
            }

            current = new MetricFamily(name);
            byName.Add(name, current);
            families.Add(current);
            return current;
        }

        string FamilyOf(string sampleName)
        {
            // Histogram and summary samples carry suffixes; counters and gauges use the family name itself.
            foreach (string suffix in (string[])["_bucket", "_sum", "_count"])
            {
                if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && current is { Type: "histogram" or "summary" } f && f.Name == sampleName[..^suffix.Length])
                {
                    return f.Name;
                }
            }

            return sampleName;
        }
    }

    private static Sample ParseSample(string line, int number)
    {
        int position = 0;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
        {
            position++;
        }

        string name = line[..position];
        RequireMetricName(name, number);
        List<KeyValuePair<string, string>> labels = [];
        if (position < line.Length && line[position] == '{')
        {
            position++;
            HashSet<string> seen = new(StringComparer.Ordinal);
            while (position < line.Length && line[position] != '}')
            {
                int start = position;
                while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '_'))
                {
                    position++;
                }

                string label = line[start..position];
                if (label.Length == 0 || char.IsAsciiDigit(label[0]) || label.StartsWith("__", StringComparison.Ordinal))
                {
                    throw new FormatException($"Line {number}: invalid label name '{label}'.");
                }

                if (!seen.Add(label))
                {
                    throw new FormatException($"Line {number}: label {label} repeated.");
                }

                if (position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
                {
                    throw new FormatException($"Line {number}: expected =\" after label {label}.");
                }

                position += 2;
                StringBuilder raw = new();
                while (position < line.Length && line[position] != '"')
                {
                    if (line[position] == '\\' && position + 1 < line.Length)
                    {
                        raw.Append(line, position, 2);
                        position += 2;
                        continue;
                    }

                    raw.Append(line[position++]);
                }

                if (position >= line.Length)
                {
                    throw new FormatException($"Line {number}: unterminated value of label {label}.");
                }

                position++;
                labels.Add(new(label, Unescape(raw.ToString(), number, inLabel: true)));
                if (position < line.Length && line[position] == ',')
                {
                    position++;
                }
                else if (position < line.Length && line[position] != '}')
                {
                    throw new FormatException($"Line {number}: expected , or }} after label {label}.");
                }
            }

            if (position >= line.Length)
            {
                throw new FormatException($"Line {number}: unterminated label set.");
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"Line {number}: expected a space before the value.");
        }

        string[] rest = line[(position + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2 || rest.Any(r => r.Length == 0))
        {
            throw new FormatException($"Line {number}: expected a value and an optional timestamp.");
        }

        double value = ParseValue(rest[0], number);
        long? timestamp = null;
        if (rest.Length == 2)
        {
            timestamp = long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long t)
                ? t
                : throw new FormatException($"Line {number}: invalid timestamp '{rest[1]}'.");
        }

        return new Sample(name, labels, value, timestamp);
    }

    private static double ParseValue(string text, int number) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ when double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double v) => v,
        _ => throw new FormatException($"Line {number}: invalid sample value '{text}'."),
    };

    private static void RequireMetricName(string name, int number)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"Line {number}: invalid metric name '{name}'.");
        }
    }

    private static string Unescape(string text, int number, bool inLabel)
    {
        StringBuilder result = new(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\')
            {
                if (inLabel && c == '\n')
                {
                    throw new FormatException($"Line {number}: raw line feed in a label value.");
                }

                result.Append(c);
                continue;
            }

            if (i + 1 >= text.Length)
            {
                throw new FormatException($"Line {number}: dangling backslash.");
            }

            char next = text[++i];
            result.Append(next switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when inLabel => '"',
                _ => throw new FormatException($"Line {number}: invalid escape \\{next}."),
            });
        }

        return result.ToString();
    }

    public sealed class MetricFamily(string name)
    {
        public string Name { get; } = name;

        public string? Help { get; set; }

        public string? Type { get; set; }

        public List<Sample> Samples { get; } = [];
    }

    public sealed record Sample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, long? Timestamp)
    {
        public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;
    }
}
