namespace Papyra.Hosting.Tests.Prometheus;

/// <summary>The strict parser the endpoint tests rely on must itself reject what the format forbids.</summary>
public sealed class PrometheusExpositionParserTests
{
    [Fact]
    public void A_well_formed_exposition_parses_into_families_with_help_type_labels_and_values()
    {
        const string text = "# HELP a_total Things \\\\ done\\nover lines.\n# TYPE a_total counter\na_total{x=\"q\\\"uote\\\\d\"} 3\n# TYPE g gauge\ng -1.5e3 1700000000\n";

        IReadOnlyList<PrometheusExposition.MetricFamily> families = PrometheusExposition.Parse(text);

        Assert.Collection(
            families,
            a =>
            {
                Assert.Equal(("a_total", "counter", "Things \\ done\nover lines."), (a.Name, a.Type, a.Help));
                PrometheusExposition.Sample sample = Assert.Single(a.Samples);
                Assert.Equal("q\"uote\\d", sample.Label("x"));
                Assert.Equal(3, sample.Value);
            },
            g =>
            {
                Assert.Equal("gauge", g.Type);
                Assert.Equal((-1500d, 1700000000L), (g.Samples[0].Value, g.Samples[0].Timestamp));
            });
    }

    [Theory]
    [InlineData("m 1", "must end with a line feed")]
    [InlineData("m{a=\"1\"} 1\nm{a=\"1\"} 2\n", "duplicate series")]
    [InlineData("a 1\nb 1\na 2\n", "not contiguous")]
    [InlineData("m 1\n# TYPE m counter\n", "after its samples")]
    [InlineData("# TYPE m countr\n", "unknown metric type")]
    [InlineData("# HELP m one\n# HELP m two\n", "second HELP")]
    [InlineData("m{a=\"x\\t\"} 1\n", "invalid escape")]
    [InlineData("m one\n", "invalid sample value")]
    [InlineData("m{a=\"1\",a=\"2\"} 1\n", "repeated")]
    [InlineData("m{__a=\"1\"} 1\n", "invalid label name")]
    [InlineData("1m 1\n", "invalid metric name")]
    [InlineData("m  1\n", "expected a value")]
    [InlineData("m 1\r\n", "line feed alone")]
    public void The_parser_rejects_what_the_format_forbids(string text, string reason)
    {
        FormatException error = Assert.Throws<FormatException>(() => PrometheusExposition.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
