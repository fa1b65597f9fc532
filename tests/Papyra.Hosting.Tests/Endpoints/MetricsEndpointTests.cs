using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Papyra.Hosting.Tests.Prometheus;
using Papyra.Hosting.Tests.Support;
using Papyra.Metrics;
using Papyra.Persistence;

namespace Papyra.Hosting.Tests.Endpoints;

public sealed class MetricsEndpointTests
{
    private static readonly Dictionary<string, string?> MemoryStore = new() { ["Papyra:SystemId"] = "metrics-test" };

    [Fact]
    public async Task Metrics_are_json_by_default_keyed_by_the_generated_names()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(MemoryStore);

        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("metrics-test", body.RootElement.GetProperty("system_id").GetString());
        Assert.Equal("memory", body.RootElement.GetProperty("backend").GetString());
        Assert.Equal(PersistenceMetricNames.All, body.RootElement.GetProperty("persistence").EnumerateObject().Select(p => p.Name));
        Assert.Equal(RuntimeMetricNames.All, body.RootElement.GetProperty("runtime").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Format_prometheus_answers_text_exposition_0_0_4_that_parses_strictly()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(MemoryStore);

        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/metrics?format=prometheus", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        IReadOnlyList<PrometheusExposition.MetricFamily> families = PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(PersistenceMetricNames.Prometheus.All.Concat(RuntimeMetricNames.Prometheus.All), families.Select(f => f.Name));
        Assert.All(families, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Help), $"{f.Name} has a HELP text");
            Assert.Equal(f.Name.EndsWith("_total", StringComparison.Ordinal) ? "counter" : "gauge", f.Type);
            Assert.Single(f.Samples);
        });
    }

    [Fact]
    public async Task A_prometheus_scraper_accept_header_gets_text_exposition()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(MemoryStore);
        using HttpRequestMessage request = new(HttpMethod.Get, "/papyra/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1");

        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(PrometheusExposition.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task An_accept_header_preferring_json_gets_json()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(MemoryStore);
        using HttpRequestMessage request = new(HttpMethod.Get, "/papyra/metrics");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain", 0.5));

        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_format_is_a_bad_request_naming_the_value()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(MemoryStore);

        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/metrics?format=xml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'xml'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
