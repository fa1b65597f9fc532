using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Papyra.Hosting.Dashboard;
using Papyra.Hosting.Metrics;
using Papyra.Persistence;
using Papyra.Reports;

namespace Papyra.Hosting;

/// <summary>Maps Papyra's operational HTTP endpoints.</summary>
public static class PapyraEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps, under <paramref name="prefix"/>:
    /// <list type="bullet">
    /// <item><c>GET healthz</c>: 200 when the system runs and a read-only scan of its store is clean, else 503; JSON report.</item>
    /// <item><c>GET metrics</c>: the counters as JSON, or as Prometheus text exposition 0.0.4
    /// (<c>text/plain; version=0.0.4; charset=utf-8</c>) when asked with <c>?format=prometheus</c> or an <c>Accept</c> header preferring <c>text/plain</c>.</item>
    /// <item><c>GET audit</c>: the system's audit (<c>?actors=true</c> adds per-actor details).</item>
    /// <item>Only when <see cref="PapyraEndpointOptions.EnableMutatingEndpoints"/> is set, each requiring the
    /// <see cref="PapyraEndpointOptions.AuthorizationPolicy"/>: <c>POST compact</c> and <c>POST metrics/reset</c>.</item>
    /// </list>
    /// Requires <c>AddPapyra</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="prefix">The route prefix. Default <c>/papyra</c>.</param>
    /// <returns>The route group, to add conventions (host filters, rate limits, further authorization) to every Papyra endpoint.</returns>
    /// <exception cref="InvalidOperationException"><c>AddPapyra</c> was not called, or mutating endpoints are enabled without an authorization policy, without authorization services, or naming a policy the default provider does not know.</exception>
    public static RouteGroupBuilder MapPapyraEndpoints(this IEndpointRouteBuilder endpoints, string prefix = PapyraHostingDefaults.RoutePrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService<PapyraHostedSystem>() is null)
        {
            throw new InvalidOperationException("MapPapyraEndpoints requires services.AddPapyra(...) to register the Papyra actor system.");
        }

        PapyraEndpointOptions options = endpoints.ServiceProvider.GetRequiredService<IOptions<PapyraOptions>>().Value.Endpoints;
        RouteGroupBuilder group = endpoints.MapGroup(prefix);
        group.MapGet("/healthz", HealthzAsync).WithName("PapyraHealth").WithDisplayName("Papyra health");
        group.MapGet("/metrics", MetricsAsync).WithName("PapyraMetrics").WithDisplayName("Papyra metrics");
        group.MapGet("/audit", AuditAsync).WithName("PapyraAudit").WithDisplayName("Papyra audit");

        if (options.EnableMutatingEndpoints)
        {
            string policy = string.IsNullOrWhiteSpace(options.AuthorizationPolicy)
                ? throw new InvalidOperationException("Papyra:Endpoints:EnableMutatingEndpoints is true but Papyra:Endpoints:AuthorizationPolicy names no policy: mutating endpoints are only exposed behind an authorization policy.")
                : options.AuthorizationPolicy;
            RequirePolicy(endpoints.ServiceProvider, policy, "mutating endpoints");
            group.MapPost("/compact", CompactAsync).WithName("PapyraCompact").WithDisplayName("Papyra compaction").RequireAuthorization(policy);
            group.MapPost("/metrics/reset", ResetMetricsAsync).WithName("PapyraMetricsReset").WithDisplayName("Papyra metrics reset").RequireAuthorization(policy);
        }

        return group;
    }

    /// <summary>
    /// Maps the read-only live dashboard under <c>{prefix}/dashboard/</c>: one self-contained page
    /// (HTML, script and style sheet embedded in this assembly; no CDN, nothing from another origin)
    /// that shows the system's state and uptime, actors alive, restarting and stopped and the busiest
    /// by mailbox depth, messages and dead letters per second, the most recent dead letters, restarts,
    /// and the store's health and counters as small charts, updated once a second. Its data comes from
    /// <c>GET {prefix}/dashboard/data</c> (one JSON snapshot) and <c>GET {prefix}/dashboard/stream</c>
    /// (Server-Sent Events, one snapshot a second to every open page, taken once), built only on
    /// public surfaces: the metrics snapshot, the health report, the actor system's public members.
    /// Nothing is mapped until this is called. Requires <c>AddPapyra</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="prefix">The route prefix. Default <c>/papyra</c>, so the page is <c>/papyra/dashboard/</c>.</param>
    /// <param name="authorizationPolicy">The authorization policy every dashboard route requires; none by default (add one for anything but a private network).</param>
    /// <returns>The route group of the dashboard, to add conventions (host filters, rate limits, further authorization) to.</returns>
    /// <exception cref="InvalidOperationException"><c>AddPapyra</c> was not called, or the policy is named without authorization services or is not registered with the default provider.</exception>
    public static RouteGroupBuilder MapPapyraDashboard(this IEndpointRouteBuilder endpoints, string prefix = PapyraHostingDefaults.RoutePrefix, string? authorizationPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        IServiceProvider services = endpoints.ServiceProvider;
        PapyraHostedSystem hosted = services.GetService<PapyraHostedSystem>()
            ?? throw new InvalidOperationException("MapPapyraDashboard requires services.AddPapyra(...) to register the Papyra actor system.");
        if (authorizationPolicy is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(authorizationPolicy);
            RequirePolicy(services, authorizationPolicy, "dashboard routes");
        }

        IHostApplicationLifetime? lifetime = services.GetService<IHostApplicationLifetime>();
        TimeProvider clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        HostedDashboardSource source = new(hosted, services.GetRequiredService<PapyraHealthEvaluator>(), lifetime, clock);
        DashboardFeed feed = new(source, clock);
        lifetime?.ApplicationStopped.Register(feed.Dispose);
        RouteGroupBuilder group = DashboardEndpoints.Map(endpoints, prefix, feed, lifetime?.ApplicationStopping ?? CancellationToken.None);
        if (authorizationPolicy is not null)
        {
            group.RequireAuthorization(authorizationPolicy);
        }

        return group;
    }

    /// <summary>Fails at startup, not at the first request, when the named policy cannot be found.</summary>
    private static void RequirePolicy(IServiceProvider services, string policy, string what)
    {
        IAuthorizationPolicyProvider? provider = services.GetService<IAuthorizationPolicyProvider>();
        if (provider is null)
        {
            throw new InvalidOperationException($"Papyra's {what} require the authorization policy '{policy}', but authorization is not configured: call services.AddAuthorization (or AddAuthorizationBuilder) and register the policy.");
        }

        // A custom provider may build policies on demand; only the default one is known to be complete.
        if (provider is DefaultAuthorizationPolicyProvider && services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.GetPolicy(policy) is null)
        {
            throw new InvalidOperationException($"Papyra's {what} require the authorization policy '{policy}', which is not registered: add it with AddAuthorizationBuilder().AddPolicy(\"{policy}\", ...).");
        }
    }

    private static async Task HealthzAsync(HttpContext context)
    {
        PapyraHealthEvaluator evaluator = context.RequestServices.GetRequiredService<PapyraHealthEvaluator>();
        PapyraHealthReport report = await evaluator.EvaluateAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        await WriteJsonAsync(context, report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, ReportJson.ToUtf8Bytes(report.ToJson(), ReportJson.Context.HealthReportJson)).ConfigureAwait(false);
    }

    private static async Task MetricsAsync(HttpContext context)
    {
        MetricsFormat? format = MetricsFormatSelector.Select(context.Request, out string? error);
        if (format is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, Error(error!)).ConfigureAwait(false);
            return;
        }

        PapyraHostedSystem hosted = context.RequestServices.GetRequiredService<PapyraHostedSystem>();
        PapyraMetricsReport report = PapyraMetricsReport.Collect(hosted);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Vary = "Accept";
        if (format == MetricsFormat.Prometheus)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = PapyraMetricsReport.PrometheusContentType;
            await context.Response.WriteAsync(report.ToPrometheus(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, ReportJson.ToUtf8Bytes(report.WriteJson)).ConfigureAwait(false);
    }

    private static async Task AuditAsync(HttpContext context)
    {
        PapyraHostedSystem hosted = context.RequestServices.GetRequiredService<PapyraHostedSystem>();
        if (hosted.State != PapyraSystemState.Running)
        {
            await WriteJsonAsync(context, StatusCodes.Status503ServiceUnavailable, Error($"The Papyra actor system is {hosted.State}.")).ConfigureAwait(false);
            return;
        }

        bool includeActors = context.Request.Query.TryGetValue("actors", out var actors) && bool.TryParse(actors, out bool include) && include;
        AuditReport audit = hosted.System.Audit(includeActors);
        context.Response.Headers.CacheControl = "no-store";
        await WriteJsonAsync(context, StatusCodes.Status200OK, ReportJson.ToUtf8Bytes(AuditReportJson.From(audit, includeActors), ReportJson.Context.AuditReportJson)).ConfigureAwait(false);
    }

    private static async Task CompactAsync(HttpContext context)
    {
        PapyraHostedSystem hosted = context.RequestServices.GetRequiredService<PapyraHostedSystem>();
        if (hosted.State != PapyraSystemState.Running)
        {
            await WriteJsonAsync(context, StatusCodes.Status503ServiceUnavailable, Error($"The Papyra actor system is {hosted.State}.")).ConfigureAwait(false);
            return;
        }

        // Through the system, so records it has queued are written before the store is rewritten.
        CompactionReport? report = await hosted.System.CompactAsync(context.RequestAborted).ConfigureAwait(false);
        if (report is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status501NotImplemented, Error($"The {hosted.Backend.Name} backend cannot compact.")).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, ReportJson.ToUtf8Bytes(CompactionReportJson.From(hosted.Backend.Name, hosted.StorePath, hosted.Retention, report), ReportJson.Context.CompactionReportJson)).ConfigureAwait(false);
    }

    private static async Task ResetMetricsAsync(HttpContext context)
    {
        PapyraHostedSystem hosted = context.RequestServices.GetRequiredService<PapyraHostedSystem>();
        if (hosted.Backend is not IPersistenceMetrics metrics)
        {
            await WriteJsonAsync(context, StatusCodes.Status501NotImplemented, Error($"The {hosted.Backend.Name} backend has no metrics.")).ConfigureAwait(false);
            return;
        }

        metrics.ResetMetrics();
        await WriteJsonAsync(context, StatusCodes.Status200OK, ReportJson.ToUtf8Bytes(PapyraMetricsReport.Collect(hosted).WriteJson)).ConfigureAwait(false);
    }

    private static byte[] Error(string error) => ReportJson.ToUtf8Bytes(new ErrorJson(error), ReportJson.Context.ErrorJson);

    private static Task WriteJsonAsync(HttpContext context, int statusCode, byte[] bytes)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = ReportJson.ContentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
