using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Papyra.Dashboard.Tests.Support;
using Papyra.Hosting.Tests.Support;
using Papyra.Persistence;
using Papyra.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Papyra.Dashboard.Tests;

/// <summary>
/// The dashboard page in a real Chromium against a real Kestrel: every test drives the actor
/// system, waits for the page to show it (Playwright waits with timeouts; never a sleep) and saves
/// a screenshot under the test output's <c>screenshots/</c>.
/// </summary>
[Collection(BrowserFixture.Collection)]
public sealed partial class DashboardPageTests(BrowserFixture browser)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task The_page_loads_from_its_own_origin_only_with_no_console_error_and_labels_every_figure_and_chart()
    {
        await using KestrelApp app = await DashboardHost.StartAsync("dash-load");
        await using ObservedPage observed = await browser.OpenAsync();
        List<string> requests = [];
        observed.Page.Request += (_, request) => requests.Add(request.Url);

        await observed.GotoDashboardAsync(app.Address);

        await Expect(observed.Page.Locator("#state")).ToHaveTextAsync("Running");
        await Expect(observed.Page.Locator("#system-id")).ToHaveTextAsync("dash-load");
        await Expect(observed.Page.Locator("#store-health")).ToHaveTextAsync("Healthy");
        await Expect(observed.Page.Locator("#banner")).ToBeHiddenAsync();
        Assert.All(requests, url => Assert.StartsWith(app.Address.ToString(), url, StringComparison.Ordinal));
        Assert.Contains(requests, url => url.EndsWith("/papyra/dashboard/stream", StringComparison.Ordinal));

        string[] problems = await observed.Page.EvaluateAsync<string[]>("""
            () => {
              const text = id => (document.getElementById(id)?.textContent || '').trim();
              const problems = [];
              const figures = document.querySelectorAll('figure');
              if (figures.length < 13) problems.push('only ' + figures.length + ' figures');
              figures.forEach(f => { const c = f.querySelector('figcaption'); if (!c || !c.textContent.trim()) problems.push('figure without a caption: ' + f.outerHTML.slice(0, 80)); });
              const charts = document.querySelectorAll('svg');
              if (charts.length !== 5) problems.push(charts.length + ' charts, expected 5');
              charts.forEach(s => {
                const label = (s.getAttribute('aria-labelledby') || '').split(' ').map(text).join(' ').trim() || s.getAttribute('aria-label');
                if (s.getAttribute('role') !== 'img' || !label) problems.push('chart without a text label: ' + s.id);
                if (!s.closest('figure')) problems.push('chart outside a figure: ' + s.id);
              });
              document.querySelectorAll('data').forEach(d => { if (!d.closest('figure')) problems.push('figure value outside a labelled figure: ' + d.id); });
              document.querySelectorAll('table').forEach(t => { if (!t.caption || !t.caption.textContent.trim()) problems.push('table without a caption: ' + t.id); });
              return problems;
            }
            """);
        Assert.Empty(problems);

        // Keyboard focus is visible: the skip link, then the pause button, each with the focus outline.
        foreach (string expected in (string[])["A", "BUTTON"])
        {
            await observed.Page.Keyboard.PressAsync("Tab");
            string[] focus = await observed.Page.EvaluateAsync<string[]>(
                "() => { const e = document.activeElement, s = getComputedStyle(e); return [e.tagName, s.outlineStyle, s.outlineWidth]; }");
            Assert.Equal(expected, focus[0]);
            Assert.Equal("solid", focus[1]);
            Assert.True(double.Parse(focus[2].Replace("px", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 2, $"outline {focus[2]} is visible");
        }

        await observed.ScreenshotAsync("load-1280x800");
        Assert.Empty(observed.Errors);
    }

    [Fact]
    public async Task Throughput_rises_while_actors_process_messages()
    {
        await using KestrelApp app = await DashboardHost.StartAsync("dash-throughput");
        ActorRef echo = app.System().Spawn(() => new EchoActor(), name: "echo");
        await using ObservedPage observed = await browser.OpenAsync();
        await observed.GotoDashboardAsync(app.Address);
        await observed.WaitForFigureAsync("messages-total", "v === 0");

        using CancellationTokenSource stop = new();
        Task pump = PumpAsync(echo, stop.Token);
        try
        {
            await observed.WaitForFigureAsync("messages-rate", "v > 0");
            await observed.WaitForFigureAsync("messages-total", "v >= 10");
            await Expect(observed.Page.Locator("#chart-messages polyline")).ToHaveCountAsync(1);
            await observed.ScreenshotAsync("throughput");
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }

        Assert.Empty(observed.Errors);
    }

    [Fact]
    public async Task A_dead_letter_appears_within_two_seconds_with_its_target_and_message_type()
    {
        await using KestrelApp app = await DashboardHost.StartAsync("dash-dead-letters");
        ActorSystem system = app.System();
        ActorRef courier = system.Spawn(() => new EchoActor(), name: "courier");
        await system.StopAsync(courier);
        await using ObservedPage observed = await browser.OpenAsync();
        await observed.GotoDashboardAsync(app.Address);
        await Expect(observed.Page.Locator("#dead-letter-list tbody")).ToContainTextAsync("No dead letter.");

        courier.Tell(new LostParcel(7));

        ILocator row = observed.Page.Locator("#dead-letter-list tbody tr").Filter(new LocatorFilterOptions { HasText = nameof(LostParcel) });
        await Expect(row).ToContainTextAsync(courier.Address.ToString(), new LocatorAssertionsToContainTextOptions { Timeout = 2_000 });
        await observed.WaitForFigureAsync("dead-letters-total", "v === 1", 2_000);
        await observed.ScreenshotAsync("dead-letter");
        Assert.Empty(observed.Errors);
    }

    [Fact]
    public async Task A_crash_shows_a_restart()
    {
        await using KestrelApp app = await DashboardHost.StartAsync("dash-restart");
        ActorSystem system = app.System();
        ActorRef echo = system.Spawn(() => new EchoActor(), name: "fragile");
        await using ObservedPage observed = await browser.OpenAsync();
        await observed.GotoDashboardAsync(app.Address);
        await observed.WaitForFigureAsync("restarts", "v === 0");

        Task<ActorRestarted> restarted = system.WaitForEventAsync<ActorRestarted>(e => e.Address == echo.Address, AskTimeout);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await echo.AskAsync<string>("boom", AskTimeout));
        await restarted;

        await observed.WaitForFigureAsync("restarts", "v === 1");
        Assert.Equal("again", await echo.AskAsync<string>("again", AskTimeout)); // the same address, a fresh instance
        await observed.ScreenshotAsync("restart");
        Assert.Empty(observed.Errors);
    }

    [Fact]
    public async Task Stopping_the_host_shows_the_stopping_state()
    {
        KestrelApp app = await DashboardHost.StartAsync("dash-stop");
        await using (app)
        {
            await using ObservedPage observed = await browser.OpenAsync();
            await observed.GotoDashboardAsync(app.Address);
            await Expect(observed.Page.Locator("#state")).ToHaveTextAsync("Running");

            using CancellationTokenSource timeout = new(KestrelApp.StartTimeout);
            await app.App.StopAsync(timeout.Token);

            await Expect(observed.Page.Locator("#state")).ToHaveTextAsync("Stopping");
            await Expect(observed.Page.Locator("#banner")).ToBeVisibleAsync();
            await Expect(observed.Page.Locator("#banner")).ToContainTextAsync("stopping");
            await observed.ScreenshotAsync("stopping");
            Assert.Empty(observed.Errors);
        }
    }

    [Fact]
    public async Task An_unhealthy_store_is_shown_clearly()
    {
        DamagedStoreBackend backend = new(new PersistenceAnomaly(PersistenceAnomalyType.TruncatedLine, "damaged://store", 42, 4096, "no newline at the end"));
        await using KestrelApp app = await DashboardHost.StartAsync("dash-unhealthy", builder => builder.Services.Configure<Papyra.Hosting.PapyraOptions>(o => o.UseBackend(_ => backend)));
        await using ObservedPage observed = await browser.OpenAsync();
        await observed.GotoDashboardAsync(app.Address);

        await Expect(observed.Page.Locator("#store-health")).ToHaveTextAsync("Unhealthy");
        await observed.WaitForFigureAsync("anomalies", "v === 1");
        await Expect(observed.Page.Locator("#banner")).ToContainTextAsync("The store is unhealthy");
        await Expect(observed.Page.Locator("#anomaly-list")).ToContainTextAsync("TruncatedLine at line 42: no newline at the end");
        await Expect(observed.Page.Locator("#state")).ToHaveTextAsync("Running");
        await observed.ScreenshotAsync("unhealthy-store");
        Assert.Empty(observed.Errors);
    }

    [Fact]
    public async Task At_a_phone_width_nothing_overflows_and_every_figure_is_visible()
    {
        await using KestrelApp app = await DashboardHost.StartAsync("dash-phone");
        await using ObservedPage observed = await browser.OpenAsync(width: 390, height: 844);
        await observed.GotoDashboardAsync(app.Address);

        int overflow = await observed.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a phone screen");
        foreach (ILocator figure in await observed.Page.Locator("figure").AllAsync())
        {
            await Expect(figure).ToBeVisibleAsync();
            LocatorBoundingBoxResult? box = await figure.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390.5, $"a figure spans {box.X}..{box.X + box.Width}px");
        }

        await observed.ScreenshotAsync("phone-390x844");
        Assert.Empty(observed.Errors);
    }

    /// <summary>
    /// A busy system for the README: traffic, a blocked actor with messages waiting (the busiest
    /// list), a restart and dead letters. With <c>PAPYRA_APPROVE=1</c> the screenshot is also copied
    /// to <c>samples/WebApp/dashboard.png</c>.
    /// </summary>
    [Fact]
    public async Task A_busy_system_shows_its_busiest_actor_restarts_and_dead_letters()
    {
        await using KestrelApp app = await DashboardHost.StartAsync("orders");
        ActorSystem system = app.System();
        ActorRef echo = system.Spawn(() => new EchoActor(), name: "greeter");
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorRef slow = system.Spawn(() => new GateActor(gate.Task), name: "ledger");
        ActorRef gone = system.Spawn(() => new EchoActor(), name: "courier");
        await system.StopAsync(gone);
        await using ObservedPage observed = await browser.OpenAsync();
        await observed.GotoDashboardAsync(app.Address);

        using CancellationTokenSource stop = new();
        Task pump = PumpAsync(echo, stop.Token);
        try
        {
            for (int i = 0; i < 6; i++)
            {
                slow.Tell(i);
            }

            gone.Tell(new LostParcel(1));
            gone.Tell(new LostParcel(2));
            Task<ActorRestarted> restarted = system.WaitForEventAsync<ActorRestarted>(e => e.Address == echo.Address, AskTimeout);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await echo.AskAsync<string>("boom", AskTimeout));
            await restarted;

            await Expect(observed.Page.Locator("#busiest tbody tr").First).ToContainTextAsync("ledger");
            await Expect(observed.Page.Locator("#busiest tbody tr").First.Locator("td").Nth(3)).ToHaveTextAsync(MailboxDepthCell());
            await observed.WaitForFigureAsync("restarts", "v === 1");
            await observed.WaitForFigureAsync("dead-letters-total", "v === 2");
            await observed.WaitForFigureAsync("messages-rate", "v > 0");
            await observed.Page.WaitForFunctionAsync("() => Number(document.getElementById('chart-messages').getAttribute('data-points')) >= 4");
            string screenshot = await observed.ScreenshotAsync("busy-1280x800");
            if (Approvals.ApproveMode)
            {
                File.Copy(screenshot, Path.Combine(Approvals.RepositoryRoot, "samples", "WebApp", "dashboard.png"), overwrite: true);
            }
        }
        finally
        {
            gate.TrySetResult();
            await stop.CancelAsync();
            await pump;
        }

        Assert.Empty(observed.Errors);
    }

    /// <summary>Asks the actor over and over until stopped: the page sees a steady rate rather than one burst.</summary>
    private static async Task PumpAsync(ActorRef actor, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Assert.Equal("ping", await actor.AskAsync<string>("ping", AskTimeout, CancellationToken.None));
        }
    }

    [GeneratedRegex("^[5-6]$")]
    private static partial Regex MailboxDepthCell();
}
