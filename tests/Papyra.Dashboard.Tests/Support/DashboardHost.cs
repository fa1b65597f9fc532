using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Papyra.Hosting;
using Papyra.Hosting.Tests.Support;

namespace Papyra.Dashboard.Tests.Support;

/// <summary>A real Kestrel on 127.0.0.1 with Papyra, its endpoints and its dashboard mapped.</summary>
internal static class DashboardHost
{
    public static Task<KestrelApp> StartAsync(string systemId, Action<WebApplicationBuilder>? configure = null)
        => KestrelApp.StartAsync(
            new Dictionary<string, string?> { ["Papyra:SystemId"] = systemId },
            configure,
            app =>
            {
                app.MapPapyraEndpoints();
                app.MapPapyraDashboard();
            });

    public static ActorSystem System(this KestrelApp app) => app.Services.GetRequiredService<ActorSystem>();
}

/// <summary>Holds every message until its gate opens, so messages pile up in its mailbox.</summary>
public sealed class GateActor(Task gate) : Actor
{
    protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return message;
    }
}

/// <summary>A message sent to a stopped actor in the dead-letter test.</summary>
public sealed record LostParcel(int Number);
