using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Papyra.Hosting;
using Papyra.Persistence.Redis;

namespace Papyra.Samples.Guide;

/// <summary>docs/guide/health-checks.md: a host with Papyra's endpoints and health check.</summary>
public static class Hosting
{
    /// <summary>Starts a host on a free loopback port over a JSON-lines store and returns its probe's status code.</summary>
    public static async Task<int> ProbeAsync(string path)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Papyra:Backend"] = "Json",
            ["Papyra:Path"] = path,
            ["Papyra:Startup:Mode"] = "FailOnAnomaly",
        });

        // guide:begin hosting-health
        // Papyra:Backend "Json", "Rotating", "Memory", or "Redis" once its provider is registered.
        builder.Services.AddPapyraBackend(new RedisStreamsBackendProvider());
        builder.Services.AddPapyra();   // the startup check runs before the app serves
        builder.Services.AddHealthChecks().AddPapyraHealthCheck(tags: ["ready"]);

        WebApplication app = builder.Build();
        app.MapPapyraEndpoints();       // GET /papyra/healthz, /papyra/metrics, /papyra/audit
        app.MapHealthChecks("/health/ready");
        // guide:end

        await app.StartAsync();
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            using HttpResponseMessage health = await client.GetAsync(new Uri("/papyra/healthz", UriKind.Relative));
            using HttpResponseMessage ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            return health.IsSuccessStatusCode && ready.IsSuccessStatusCode ? (int)health.StatusCode : -(int)health.StatusCode;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
