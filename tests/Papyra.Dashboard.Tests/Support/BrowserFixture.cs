using Microsoft.Playwright;

namespace Papyra.Dashboard.Tests.Support;

/// <summary>
/// One headless system Chromium for the whole collection (Debian's <c>chromium</c>; <c>.ci/run</c>
/// installs it). Playwright's own browser download is never used: the executable is given, and a
/// missing browser fails the tests with the command that installs it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Collection = "browser";

    /// <summary>Where the browser is: <c>PAPYRA_CHROMIUM</c>, else <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("PAPYRA_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Where every test saves its screenshots: <c>screenshots/</c> under the test output.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No Chromium at {ExecutablePath}: install it with `apt-get install -y chromium` (as .ci/run does) or point PAPYRA_CHROMIUM at one.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Root (CI) cannot use Chromium's sandbox; /dev/shm is small in containers.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page (own context) with the given viewport, recording console errors and uncaught exceptions.</summary>
    public async Task<ObservedPage> OpenAsync(int width = 1280, int height = 800)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        return new ObservedPage(context, page);
    }
}

[CollectionDefinition(BrowserFixture.Collection)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
}
