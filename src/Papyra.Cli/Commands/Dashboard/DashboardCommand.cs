using System.ComponentModel;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Hosting.Dashboard;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Dashboard;

/// <summary>
/// <c>papyra dashboard</c>: serves the read-only dashboard page of Papyra.Hosting for a store on
/// 127.0.0.1, from what the store holds and the live metrics a running system publishes beside it.
/// The page, its files and its data shape are the ones <c>MapPapyraDashboard</c> serves (the same
/// embedded assets and endpoint code, on a minimal Kestrel).
/// </summary>
internal sealed class DashboardCommand : AsyncCommand<DashboardCommand.Settings>
{
    public const string Description = "Serve the read-only live dashboard of a store on 127.0.0.1 (the page MapPapyraDashboard serves), from the store's records and the metrics a running system publishes beside it, until interrupted.";

    /// <summary>The route prefix, as in a hosted app's default.</summary>
    public const string Prefix = "/papyra";

    /// <summary>The store and the port.</summary>
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("The port on 127.0.0.1 to serve the dashboard on; 0 picks a free one. The address is printed (with --json as {\"url\": …}).")]
        [DefaultValue("5090")]
        public string Port { get; set; } = "5090";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        int port = ParsePort(settings.Port);
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        await using DashboardServer server = await DashboardServer.StartAsync(opened, store.Settings.Option(Papyra.Persistence.Redis.RedisStreamsBackendProvider.SystemIdOption) ?? "local", port, cancellationToken).ConfigureAwait(false);

        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("url", server.Url.ToString());
                w.WriteString("backend", opened.View.Backend);
                if (opened.View.Path is { } path)
                {
                    w.WriteString("path", path);
                }
                else
                {
                    w.WriteNull("path");
                }

                w.WriteEndObject();
            });
        }
        else
        {
            output.Console.WriteLine($"Serving the dashboard of {opened.View.Describe} at {server.Url} (read-only). Ctrl+C stops.");
        }

        Console.Out.Flush();
        await server.WaitForStopAsync(cancellationToken).ConfigureAwait(false);
        return PapyraExitCodes.Success;
    }

    private static int ParsePort(string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new CliUsageException($"The --port value '{value}' is not a port number (0 to 65535).");
}

/// <summary>A minimal Kestrel on 127.0.0.1 serving the dashboard endpoints of Papyra.Hosting for one store.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DashboardFeed _feed;

    private DashboardServer(WebApplication app, DashboardFeed feed, Uri url)
    {
        _app = app;
        _feed = feed;
        Url = url;
    }

    /// <summary>The page's address.</summary>
    public Uri Url { get; }

    /// <summary>Starts serving; a port in use is an <see cref="IOException"/> (exit 74).</summary>
    public static async Task<DashboardServer> StartAsync(OpenedStore store, string systemId, int port, CancellationToken cancellationToken)
    {
        // The empty builder reads no appsettings.json or ASPNETCORE_* variables of the directory papyra runs in:
        // nothing but this code decides what is served, and where.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();

        DashboardFeed feed = new(new StoreDashboardSource(store, systemId));
        string page = DashboardEndpoints.RouteFor(DashboardCommand.Prefix) + "/";
        app.MapGet("/", context =>
        {
            context.Response.Redirect(page);
            return Task.CompletedTask;
        });
        DashboardEndpoints.Map(app, DashboardCommand.Prefix, feed, app.Lifetime.ApplicationStopping);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            feed.Dispose();
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, feed, new Uri(new Uri(address), page));
    }

    /// <summary>Serves until the command is cancelled or the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public async Task WaitForStopAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration command = cancellationToken.Register(() => stopped.TrySetResult());
        using CancellationTokenRegistration host = _app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
        await stopped.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        using (CancellationTokenSource timeout = new(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _feed.Dispose();
    }
}
