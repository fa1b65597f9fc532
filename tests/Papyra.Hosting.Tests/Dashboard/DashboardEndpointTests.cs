using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Papyra.Hosting.Dashboard;
using Papyra.Hosting.Tests.Support;
using Papyra.TestSupport;

namespace Papyra.Hosting.Tests.Dashboard;

/// <summary>The dashboard over HTTP (the browser tests are in Papyra.Dashboard.Tests): mapping, assets, the data shape, authorization.</summary>
public sealed class DashboardEndpointTests
{
    /// <summary>The budget for everything the page loads.</summary>
    public const int PageWeightBudgetBytes = 150 * 1024;

    private static readonly Dictionary<string, string?> Configuration = new() { ["Papyra:SystemId"] = "dash-http" };

    private static Task<KestrelApp> StartAsync(Action<WebApplicationBuilder>? builder = null, string? policy = null)
        => KestrelApp.StartAsync(Configuration, builder, app =>
        {
            app.MapPapyraEndpoints();
            app.MapPapyraDashboard(authorizationPolicy: policy);
        });

    [Fact]
    public async Task The_dashboard_is_off_until_mapped()
    {
        await using KestrelApp app = await KestrelApp.StartAsync(Configuration);

        foreach (string path in (string[])["/papyra/dashboard/", "/papyra/dashboard/data", "/papyra/dashboard/stream", "/papyra/dashboard/dashboard.js"])
        {
            using HttpResponseMessage response = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_page_and_its_two_files_are_served_from_the_assembly_under_a_same_origin_policy_and_weigh_under_150_KB()
    {
        await using KestrelApp app = await StartAsync();
        long total = 0;
        foreach ((string path, string mediaType, DashboardAsset asset) in new[]
        {
            ("/papyra/dashboard/", "text/html", DashboardAssets.Page),
            ("/papyra/dashboard/dashboard.js", "text/javascript", DashboardAssets.Script),
            ("/papyra/dashboard/dashboard.css", "text/css", DashboardAssets.StyleSheet),
        })
        {
            using HttpResponseMessage response = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            byte[] body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(asset.Content, body);
            total += body.Length;

            using HttpRequestMessage again = new(HttpMethod.Get, path);
            again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
            using HttpResponseMessage notModified = await app.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        Assert.True(total < PageWeightBudgetBytes, $"the page weighs {total} bytes");
        string html = System.Text.Encoding.UTF8.GetString(DashboardAssets.Page.Content);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_without_its_trailing_slash_redirects_so_its_files_resolve()
    {
        await using KestrelApp app = await StartAsync();
        using HttpClient client = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Address };

        using HttpResponseMessage response = await client.GetAsync(new Uri("/papyra/dashboard", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/papyra/dashboard/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_data_shape_matches_the_approved_snapshot()
    {
        // A damaged store, so the anomalies' shape is in the snapshot too.
        DamagedStoreBackend backend = new(new Persistence.PersistenceAnomaly(Persistence.PersistenceAnomalyType.CorruptedLine, "damaged://store", 3, 120, "not JSON"));
        await using KestrelApp app = await StartAsync(builder => builder.Services.Configure<PapyraOptions>(o => o.UseBackend(_ => backend)));
        ActorSystem system = app.Services.GetRequiredService<ActorSystem>();
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorRef slow = system.Spawn(() => new BlockingActor(gate.Task), name: "slow");
        ActorRef gone = system.Spawn(() => new EchoActor(), name: "gone");
        await system.StopAsync(gone);
        slow.Tell(1);
        slow.Tell(2);
        gone.Tell("lost");
        try
        {
            using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/dashboard/data", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using JsonDocument data = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            JsonElement root = data.RootElement;
            Assert.Equal("host", root.GetProperty("source").GetString());
            Assert.Equal("Running", root.GetProperty("state").GetString());
            Assert.False(root.GetProperty("healthy").GetBoolean());
            Assert.Equal("Unhealthy", root.GetProperty("persistence").GetProperty("status").GetString());
            Assert.Equal("CorruptedLine", root.GetProperty("persistence").GetProperty("anomalies")[0].GetProperty("type").GetString());
            JsonElement letter = Assert.Single(root.GetProperty("recent_dead_letters").EnumerateArray());
            Assert.Equal(gone.Address.ToString(), letter.GetProperty("target").GetString());
            Assert.Equal(1, root.GetProperty("runtime").GetProperty("dead_letters").GetInt64());
            Assert.Equal("slow", root.GetProperty("actors").GetProperty("busiest")[0].GetProperty("name").GetString());
            Approvals.Verify("dashboard-data.txt", JsonShape.Render(root));
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    [Fact]
    public async Task Data_is_read_only()
    {
        await using KestrelApp app = await StartAsync();

        using HttpResponseMessage response = await app.Client.PostAsync(new Uri("/papyra/dashboard/data", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task An_authorization_policy_protects_every_dashboard_route()
    {
        await using KestrelApp app = await StartAsync(
            builder =>
            {
                builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
                builder.Services.AddAuthorizationBuilder().AddPolicy("ops", p => p.RequireRole("ops"));
            },
            policy: "ops");

        foreach (string path in (string[])["/papyra/dashboard/", "/papyra/dashboard/data", "/papyra/dashboard/dashboard.js"])
        {
            using HttpResponseMessage anonymous = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            using HttpRequestMessage wrongRole = new(HttpMethod.Get, path);
            wrongRole.Headers.Add("X-Test-User", "dev");
            wrongRole.Headers.Add("X-Test-Roles", "dev");
            using HttpResponseMessage forbidden = await app.Client.SendAsync(wrongRole);
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

            using HttpRequestMessage ops = new(HttpMethod.Get, path);
            ops.Headers.Add("X-Test-User", "ana");
            ops.Headers.Add("X-Test-Roles", "ops");
            using HttpResponseMessage allowed = await app.Client.SendAsync(ops);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
    }

    [Fact]
    public async Task Naming_an_unknown_policy_fails_when_mapping()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(
            builder => builder.Services.AddAuthorizationBuilder().AddPolicy("ops", p => p.RequireRole("ops")),
            policy: "opps"));

        Assert.Contains("'opps'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stream_sends_one_snapshot_a_second_in_the_same_shape()
    {
        await using KestrelApp app = await StartAsync();
        using HttpResponseMessage response = await app.Client.GetAsync(new Uri("/papyra/dashboard/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using StreamReader reader = new(await response.Content.ReadAsStreamAsync());
        List<double> timestamps = [];
        while (timestamps.Count < 2 && await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using JsonDocument data = JsonDocument.Parse(line["data: ".Length..]);
                Assert.Equal(1, data.RootElement.GetProperty("version").GetInt32());
                timestamps.Add(data.RootElement.GetProperty("timestamp").GetDouble());
            }
        }

        Assert.InRange(timestamps[1] - timestamps[0], 0.5, 2.0);
    }

    /// <summary>Holds every message until its gate opens, so messages wait in its mailbox.</summary>
    private sealed class BlockingActor(Task gate) : Actor
    {
        protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return message;
        }
    }
}
