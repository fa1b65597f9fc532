using Papyra.Hosting.Metrics;

namespace Papyra.Hosting.Tests.Prometheus;

public sealed class PrometheusTextWriterTests
{
    private static readonly KeyValuePair<string, string>[] Labels = [new("system_id", "local"), new("backend", "json")];

    [Fact]
    public void Output_parses_as_exposition_format_with_help_type_and_one_sample_per_family()
    {
        MetricSample[] samples =
        [
            new("persistence", "records_written", "papyra_persistence_records_written_total", "Records written.", MetricKind.Counter, 3),
            new("runtime", "actors_alive", "papyra_runtime_actors_alive", "Actors alive.", MetricKind.Gauge, 2),
        ];

        IReadOnlyList<PrometheusExposition.MetricFamily> families = PrometheusExposition.Parse(PrometheusTextWriter.Write(samples, Labels));

        Assert.Collection(
            families,
            f =>
            {
                Assert.Equal("papyra_persistence_records_written_total", f.Name);
                Assert.Equal("counter", f.Type);
                Assert.Equal("Records written.", f.Help);
                PrometheusExposition.Sample sample = Assert.Single(f.Samples);
                Assert.Equal(3, sample.Value);
                Assert.Equal("local", sample.Label("system_id"));
                Assert.Equal("json", sample.Label("backend"));
            },
            f =>
            {
                Assert.Equal("gauge", f.Type);
                Assert.Equal(2, Assert.Single(f.Samples).Value);
            });
    }

    [Fact]
    public void Label_values_and_help_are_escaped_so_the_output_still_parses()
    {
        MetricSample[] samples = [new("persistence", "scans", "papyra_persistence_scans_total", "Scans \\ run\nover lines.", MetricKind.Counter, 1)];
        KeyValuePair<string, string>[] labels = [new("path", "C:\\data\\\"store\"\nx")];

        PrometheusExposition.MetricFamily family = Assert.Single(PrometheusExposition.Parse(PrometheusTextWriter.Write(samples, labels)));

        Assert.Equal("Scans \\ run\nover lines.", family.Help);
        Assert.Equal("C:\\data\\\"store\"\nx", Assert.Single(family.Samples).Label("path"));
    }

    [Theory]
    [InlineData("1papyra")]
    [InlineData("papyra-scans")]
    [InlineData("")]
    public void Invalid_metric_names_are_refused(string name)
    {
        MetricSample[] samples = [new("persistence", "scans", name, "help", MetricKind.Counter, 1)];

        Assert.Throws<ArgumentException>(() => PrometheusTextWriter.Write(samples, []));
    }

    [Theory]
    [InlineData("__reserved")]
    [InlineData("bad-label")]
    public void Invalid_label_names_are_refused(string label)
    {
        Assert.Throws<ArgumentException>(() => PrometheusTextWriter.Write([], [new(label, "v")]));
    }

    [Theory]
    [InlineData("m 1", "must end with a line feed")]
    [InlineData("m{a=\"1\"} 1\nm{a=\"1\"} 2\n", "duplicate series")]
    [InlineData("a 1\nb 1\na 2\n", "not contiguous")]
    [InlineData("m 1\n# TYPE m counter\n", "after its samples")]
    [InlineData("# TYPE m countr\n", "unknown metric type")]
    [InlineData("m{a=\"x\\t\"} 1\n", "invalid escape")]
    [InlineData("m one\n", "invalid sample value")]
    [InlineData("m{a=\"1\",a=\"2\"} 1\n", "repeated")]
    public void The_test_parser_rejects_what_the_format_forbids(string text, string reason)
    {
        FormatException error = Assert.Throws<FormatException>(() => PrometheusExposition.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
