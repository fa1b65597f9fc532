using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Papyra.Hosting;

/// <summary>Registers Papyra's ASP.NET Core health check.</summary>
public static class PapyraHealthChecksBuilderExtensions
{
    /// <summary>The default registration name.</summary>
    public const string DefaultName = "papyra";

    /// <summary>
    /// Adds a health check that is healthy while the hosted actor system runs and a read-only scan
    /// of its store finds no anomaly. Requires <c>AddPapyra</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The registration name. Default <c>papyra</c>.</param>
    /// <param name="failureStatus">The status reported when unhealthy. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering (for example <c>ready</c>).</param>
    /// <param name="timeout">How long the scan may take before the check fails; none by default.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPapyraHealthCheck(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new PapyraHealthCheck(services.GetService<PapyraHealthEvaluator>()
                ?? throw new InvalidOperationException("AddPapyraHealthCheck requires services.AddPapyra(...) to register the Papyra actor system.")),
            failureStatus,
            tags,
            timeout));
    }
}
