using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Papyra.Hosting.Tests.Support;

namespace Papyra.Hosting.Tests.Endpoints;

public sealed class MutatingEndpointTests
{
    private const string Policy = "PapyraAdmin";

    private static readonly Dictionary<string, string?> Enabled = new()
    {
        ["Papyra:Endpoints:EnableMutatingEndpoints"] = "true",
        ["Papyra:Endpoints:AuthorizationPolicy"] = Policy,
    };

    private static Task<KestrelApp> StartWithAuthAsync(Dictionary<string, string?> configuration) => KestrelApp.StartAsync(configuration, builder =>
    {
        builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireRole("papyra-admin"));
    });

    private static HttpRequestMessage Post(string path, string? user = null, string? roles = null)
    {
        HttpRequestMessage request = new(HttpMethod.Post, path);
        if (user is not null)
        {
            request.Headers.Add("X-Test-User", user);
            request.Headers.Add("X-Test-Roles", roles ?? string.Empty);
        }

        return request;
    }

    [Theory]
    [InlineData("/papyra/compact")]
    [InlineData("/papyra/metrics/reset")]
    public async Task Mutating_endpoints_do_not_exist_unless_enabled(string path)
    {
        await using KestrelApp app = await StartWithAuthAsync([]);

        using HttpRequestMessage request = Post(path, "admin", "papyra-admin");
        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{path} answered {response.StatusCode}");
    }

    [Theory]
    [InlineData("/papyra/compact")]
    [InlineData("/papyra/metrics/reset")]
    public async Task Mutating_endpoints_refuse_anonymous_callers_with_401(string path)
    {
        await using KestrelApp app = await StartWithAuthAsync(Enabled);

        using HttpRequestMessage request = Post(path);
        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/papyra/compact")]
    [InlineData("/papyra/metrics/reset")]
    public async Task Mutating_endpoints_refuse_callers_the_policy_rejects_with_403(string path)
    {
        await using KestrelApp app = await StartWithAuthAsync(Enabled);

        using HttpRequestMessage request = Post(path, "visitor", "reader");
        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_authorized_caller_can_compact_and_gets_the_compaction_report()
    {
        await using KestrelApp app = await StartWithAuthAsync(Enabled);

        using HttpRequestMessage request = Post("/papyra/compact", "admin", "papyra-admin");
        using HttpResponseMessage response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"before_records\":", body, StringComparison.Ordinal);
        Assert.Contains("\"after_records\":", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_mutating_endpoints_without_a_policy_fails_application_start()
    {
        Dictionary<string, string?> noPolicy = new() { ["Papyra:Endpoints:EnableMutatingEndpoints"] = "true" };

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => StartWithAuthAsync(noPolicy));

        Assert.Contains("AuthorizationPolicy names no policy", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_mutating_endpoints_with_an_unregistered_policy_fails_application_start_naming_it()
    {
        Dictionary<string, string?> unknown = new()
        {
            ["Papyra:Endpoints:EnableMutatingEndpoints"] = "true",
            ["Papyra:Endpoints:AuthorizationPolicy"] = "NoSuchPolicy",
        };

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartWithAuthAsync(unknown));

        Assert.Contains("'NoSuchPolicy', which is not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabling_mutating_endpoints_without_authorization_services_fails_application_start()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => KestrelApp.StartAsync(Enabled));

        Assert.Contains("authorization is not configured", error.Message, StringComparison.Ordinal);
    }
}
