using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Papyra.Hosting.Tests.Support;

/// <summary>
/// A real ASP.NET Core application on a real Kestrel server bound to 127.0.0.1 on a free port
/// (port 0), with its logs captured by a real logger provider.
/// </summary>
public sealed class KestrelApp : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private KestrelApp(WebApplication app, Uri address, CapturingLoggerProvider logs)
    {
        App = app;
        Address = address;
        Logs = logs;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Builds the application, configures it, and starts it (hosted services first, then Kestrel).</summary>
    public static async Task<KestrelApp> StartAsync(
        IReadOnlyDictionary<string, string?> configuration,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null,
        CapturingLoggerProvider? logs = null)
    {
        WebApplication app = Build(configuration, configureBuilder, configureApp, logs ??= new CapturingLoggerProvider());
        using CancellationTokenSource timeout = new(StartTimeout);
        try
        {
            await app.StartAsync(timeout.Token);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelApp(app, new Uri(address), logs);
    }

    public static WebApplication Build(
        IReadOnlyDictionary<string, string?> configuration,
        Action<WebApplicationBuilder>? configureBuilder,
        Action<WebApplication>? configureApp,
        CapturingLoggerProvider logs)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        // The test's services first (OpenTelemetry among them), as an application registers its
        // telemetry before Papyra so that the startup check is traced.
        configureBuilder?.Invoke(builder);
        builder.Services.AddPapyra();

        WebApplication app = builder.Build();
        if (configureApp is null)
        {
            app.MapPapyraEndpoints();
        }
        else
        {
            configureApp(app);
        }

        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using CancellationTokenSource timeout = new(StartTimeout);
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
