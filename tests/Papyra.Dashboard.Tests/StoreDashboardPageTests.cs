using Papyra.Cli.Commands.Dashboard;
using Papyra.Cli.Stores;
using Papyra.Dashboard.Tests.Support;
using Papyra.Hosting.Tests.Support;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;
using static Microsoft.Playwright.Assertions;

namespace Papyra.Dashboard.Tests;

/// <summary>
/// The same page served by <c>papyra dashboard</c> for a store a running system writes: its
/// server started in-process, the system writing a JSON-lines store and its live metrics file.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed class StoreDashboardPageTests(BrowserFixture browser) : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("papyra-dashboard-").FullName;

    [Fact]
    public async Task Papyra_dashboard_shows_what_a_running_system_writes_to_its_store()
    {
        string store = Path.Combine(_directory, "events.ndjson");
        await using ActorSystem system = new(new ActorSystemOptions
        {
            SystemId = "billing",
            Persistence = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = store }),
        });
        await system.StartAsync();
        ActorRef echo = system.Spawn(() => new EchoActor(), name: "invoicer");
        ActorRef gone = system.Spawn(() => new EchoActor(), name: "mailer");
        await system.StopAsync(gone);
        Task<ActorRestarted> restarted = system.WaitForEventAsync<ActorRestarted>(e => e.Address == echo.Address, AskTimeout);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await echo.AskAsync<string>("boom", AskTimeout));
        await restarted;
        gone.Tell(new LostParcel(3));
        system.Audit();
        await system.FlushPersistenceAsync();

        await using OpenedStore opened = await StoreOpener.OpenAsync(
            new Papyra.Cli.Configuration.ResolvedStore(new PersistenceBackendSettings(JsonFilePersistenceBackend.BackendName) { Path = store, PublishMetrics = false }),
            CancellationToken.None);
        await using DashboardServer server = await DashboardServer.StartAsync(opened, "local", 0, CancellationToken.None);
        await using ObservedPage observed = await browser.OpenAsync();
        await observed.GotoDashboardAsync(server.Url, server.Url.AbsolutePath);

        await Expect(observed.Page.Locator("#source")).ToHaveTextAsync("store (papyra dashboard)");
        await Expect(observed.Page.Locator("#system-id")).ToHaveTextAsync("billing");
        await Expect(observed.Page.Locator("#state")).ToHaveTextAsync("Running"); // the system publishes live metrics beside the store
        await observed.WaitForFigureAsync("restarts", "v === 1");
        await observed.WaitForFigureAsync("dead-letters-total", "v === 1");
        await observed.WaitForFigureAsync("actors-alive", "v === 1");
        await Expect(observed.Page.Locator("#dead-letter-list tbody")).ToContainTextAsync(gone.Address.ToString());
        await Expect(observed.Page.Locator("#messages-total")).ToHaveTextAsync("—"); // only a running host knows it
        await Expect(observed.Page.Locator("#store-health")).ToHaveTextAsync("Healthy");
        await Expect(observed.Page.Locator("#counters tbody")).ToContainTextAsync("records_written");

        // A dead letter the system writes now shows up on the next updates.
        gone.Tell(new LostParcel(4));
        await system.FlushPersistenceAsync();
        await observed.WaitForFigureAsync("dead-letters-total", "v === 2", 3_000);
        await observed.ScreenshotAsync("papyra-dashboard-store");
        Assert.Empty(observed.Errors);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
