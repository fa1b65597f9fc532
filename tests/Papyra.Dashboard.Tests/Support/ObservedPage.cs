using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Papyra.Dashboard.Tests.Support;

/// <summary>A page whose console errors and uncaught exceptions are kept, so a test can assert there were none.</summary>
public sealed class ObservedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();

    public ObservedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => _errors.Enqueue($"page error: {error}");
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Opens the dashboard and waits for its first snapshot to be rendered.</summary>
    public async Task GotoDashboardAsync(Uri root, string path = "/papyra/dashboard/")
    {
        IResponse? response = await Page.GotoAsync(new Uri(root, path).ToString());
        Assert.NotNull(response);
        Assert.True(response.Ok, $"GET {path} answered {response.Status}");
        await Page.WaitForFunctionAsync("() => document.getElementById('updated').textContent !== '—'");
    }

    /// <summary>Waits until a figure's machine-readable value (<c>data.value</c>) satisfies a JavaScript predicate on <c>v</c> (a number).</summary>
    public Task WaitForFigureAsync(string id, string predicate, float timeoutMs = 10_000)
        => Page.WaitForFunctionAsync(
            $"() => {{ const e = document.getElementById('{id}'); if (!e || e.value === '') return false; const v = Number(e.value); return {predicate}; }}",
            null,
            new PageWaitForFunctionOptions { Timeout = timeoutMs });

    /// <summary>Saves a full-page screenshot under the test output's <c>screenshots/</c>.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        string path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, $"the screenshot {path} was written");
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
