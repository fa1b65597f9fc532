using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Papyra.Reports;

namespace Papyra.Hosting.Dashboard;

/// <summary>
/// Maps the dashboard under <c>{prefix}/dashboard</c>: the page (<c>/</c>), its script and style
/// sheet, <c>data</c> (one snapshot as JSON) and <c>stream</c> (Server-Sent Events, one snapshot a
/// second). Shared by <c>MapPapyraDashboard</c> (a hosted system) and <c>papyra dashboard</c> (a store).
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>How often the stream sends a snapshot.</summary>
    public static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(1);

    /// <summary>Everything the page loads comes from this origin; nothing inline, nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] EndEvent = "event: end\ndata: stopping\n\n"u8.ToArray();

    /// <summary>The dashboard's route under a prefix (<c>/papyra</c> gives <c>/papyra/dashboard</c>).</summary>
    public static string RouteFor(string prefix) => prefix.TrimEnd('/') + "/dashboard";

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, DashboardFeed feed, CancellationToken stopping)
    {
        RouteGroupBuilder group = endpoints.MapGroup(RouteFor(prefix));
        group.MapGet("/", ServePage).WithName("PapyraDashboard").WithDisplayName("Papyra dashboard");
        group.MapGet("/" + DashboardAssets.Script.FileName, context => ServeAsset(context, DashboardAssets.Script)).WithDisplayName("Papyra dashboard script");
        group.MapGet("/" + DashboardAssets.StyleSheet.FileName, context => ServeAsset(context, DashboardAssets.StyleSheet)).WithDisplayName("Papyra dashboard style sheet");
        group.MapGet("/data", context => DataAsync(context, feed)).WithName("PapyraDashboardData").WithDisplayName("Papyra dashboard data");
        group.MapGet("/stream", context => StreamAsync(context, feed, stopping)).WithName("PapyraDashboardStream").WithDisplayName("Papyra dashboard stream");
        return group;
    }

    private static Task ServePage(HttpContext context)
    {
        // The page loads its files relatively: it must be addressed as a directory.
        if (!context.Request.Path.Value!.EndsWith('/'))
        {
            context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/" + context.Request.QueryString);
            return Task.CompletedTask;
        }

        return ServeAsset(context, DashboardAssets.Page);
    }

    private static Task ServeAsset(HttpContext context, DashboardAsset asset)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Content.Length;
        return context.Response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }

    private static async Task DataAsync(HttpContext context, DashboardFeed feed)
    {
        byte[] json = await feed.GetJsonAsync(fresh: false, context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = ReportJson.ContentType;
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// One snapshot a second until the page goes away; when the host stops, one last snapshot
    /// (state <c>Stopping</c>) and an <c>end</c> event, so the page shows why the updates ended.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, DashboardFeed feed, CancellationToken stopping)
    {
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        CancellationToken aborted = context.RequestAborted;
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping);
        try
        {
            await response.Body.WriteAsync("retry: 2000\n\n"u8.ToArray(), aborted).ConfigureAwait(false);
            using PeriodicTimer timer = new(StreamInterval);
            do
            {
                await WriteEventAsync(response, await feed.GetJsonAsync(fresh: false, linked.Token).ConfigureAwait(false), aborted).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The page went away, or the host is stopping.
        }

        if (stopping.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            try
            {
                await WriteEventAsync(response, await feed.GetJsonAsync(fresh: true, aborted).ConfigureAwait(false), aborted).ConfigureAwait(false);
                await response.Body.WriteAsync(EndEvent, aborted).ConfigureAwait(false);
                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The page went away meanwhile.
            }
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        ArrayBufferWriter<byte> buffer = new(DataPrefix.Length + json.Length + EventEnd.Length);
        buffer.Write(DataPrefix);
        buffer.Write(json);
        buffer.Write(EventEnd);
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
