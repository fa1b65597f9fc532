using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Papyra.Persistence;

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
    /// <exception cref="InvalidOperationException">Called twice on the same collection.</exception>
    public static IServiceCollection AddPapyra(this IServiceCollection services, Action<PapyraOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(PapyraHostedSystem)))
        {
            throw new InvalidOperationException("AddPapyra was already called: one host runs one Papyra actor system.");
        }

        OptionsBuilder<PapyraOptions> options = services.AddOptions<PapyraOptions>()
            .Configure<IServiceProvider>(static (o, sp) => sp.GetService<IConfiguration>()?.GetSection(PapyraHostingDefaults.ConfigurationSection).Bind(o));
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
}
