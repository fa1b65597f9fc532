using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Hosting;

/// <summary>Registers a hosted Papyra actor system.</summary>
public static class PapyraServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Papyra actor system as a hosted service: when the host starts, the persistence
    /// startup check runs and the system starts before the application serves requests; when the
    /// host stops, the system is disposed gracefully (actors drained, persistence flushed and closed).
    /// Options are bound from the configuration section <c>Papyra</c>, then <paramref name="configure"/> runs.
    /// Registers <see cref="ActorSystem"/> and <see cref="IPersistenceBackend"/> as singletons; the
    /// system owns the backend. An <see cref="ISystemHooks"/> registered in the container is used as the system's hooks.
    /// </summary>
    /// <remarks>
    /// Hosted services start in registration order and the ASP.NET Core server starts after all of
    /// them, so the startup check always completes before the first request. Register OpenTelemetry
    /// (<c>AddOpenTelemetry</c>) before calling this method so that its providers exist when the
    /// startup check's spans are emitted.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the options after configuration binding; optional.</param>
    /// <returns>The service collection.</returns>
    /// <remarks>
    /// Idempotent: calling it again (a library and the application both calling it) registers nothing
    /// twice; each call's <paramref name="configure"/> runs, in call order, after the configuration is bound.
    /// Options are bound through the options pattern (<see cref="IOptions{TOptions}"/> of <see cref="PapyraOptions"/>),
    /// so other code can configure or post-configure them too.
    /// </remarks>
    public static IServiceCollection AddPapyra(this IServiceCollection services, Action<PapyraOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<PapyraOptions> options = services.AddOptions<PapyraOptions>();
        if (services.Any(d => d.ServiceType == typeof(PapyraHostedSystem)))
        {
            // Already registered: only this call's delegate is added, after the earlier ones.
            if (configure is not null)
            {
                options.Configure(configure);
            }

            return services;
        }

        // Configuration first, then code: the binding is registered before every delegate.
        // (Without an IConfiguration in the container, as in a bare ServiceCollection, code alone configures.)
        options.Configure<IServiceProvider>(static (o, sp) => sp.GetService<IConfiguration>()?.GetSection(PapyraHostingDefaults.ConfigurationSection).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PapyraOptions>, PapyraOptionsValidator>());

        services.AddSingleton<PapyraHostedSystem>();
        services.AddSingleton(static sp => sp.GetRequiredService<PapyraHostedSystem>().System);
        services.AddSingleton(static sp => sp.GetRequiredService<PapyraHostedSystem>().Backend);
        services.AddSingleton<PapyraHealthEvaluator>();
        services.AddHostedService<PapyraHostedService>();
        return services;
    }

    /// <summary>
    /// Makes a persistence backend selectable by name in <c>Papyra:Backend</c> (and <see cref="PapyraOptions.Backend"/>):
    /// <c>services.AddPapyraBackend(new RedisStreamsBackendProvider())</c> lets configuration say
    /// <c>"Backend": "Redis"</c>. The built-in json, rotating and memory backends need no registration.
    /// Registering the same provider type twice registers it once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="provider">The backend's provider.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPapyraBackend(this IServiceCollection services, IPersistenceBackendProvider provider)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(provider);
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IPersistenceBackendProvider), provider));
        return services;
    }
}
