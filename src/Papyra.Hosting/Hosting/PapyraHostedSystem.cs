using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Papyra.Persistence;

namespace Papyra.Hosting;

/// <summary>
/// Owns the hosted actor system and its backend: builds both once from <see cref="PapyraOptions"/>
/// and tracks the lifecycle state that the health endpoint reports.
/// </summary>
internal sealed class PapyraHostedSystem : IAsyncDisposable
{
    private readonly Lazy<IPersistenceBackend> _backend;
    private readonly Lazy<ActorSystem> _system;
    private readonly Lock _disposeGate = new();
    private Task? _disposal;
    private int _state;

    public PapyraHostedSystem(IOptions<PapyraOptions> options, IServiceProvider services, ILoggerFactory loggerFactory, IHostEnvironment? environment = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        string contentRoot = environment?.ContentRootPath ?? AppContext.BaseDirectory;
        _backend = new Lazy<IPersistenceBackend>(() => PapyraBackendFactory.Create(Options, services, contentRoot, clock, loggerFactory));
        _system = new Lazy<ActorSystem>(() => new ActorSystem(new ActorSystemOptions
        {
            SystemId = Options.SystemId,
            Persistence = _backend.Value,
            StartupCheck = Options.Startup.ToConfig(),
            TimeProvider = clock,
            LoggerFactory = loggerFactory,
            Hooks = services.GetService<ISystemHooks>(),
        }));
    }

    /// <summary>The options the system was built from.</summary>
    public PapyraOptions Options { get; }

    /// <summary>The persistence backend (created on first use; owned by <see cref="System"/>).</summary>
    public IPersistenceBackend Backend => _backend.Value;

    /// <summary>The actor system (created on first use).</summary>
    public ActorSystem System => _system.Value;

    /// <summary>When the system reached <see cref="PapyraSystemState.Running"/> (for the dashboard's uptime); <see langword="null"/> before.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The lifecycle state.</summary>
    public PapyraSystemState State
    {
        get => (PapyraSystemState)Volatile.Read(ref _state);
        set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>
    /// Disposes the system (which flushes and closes the backend), or the backend alone when no
    /// system was built. Every call after the first returns the first call's disposal.
    /// </summary>
    /// <returns>A task that completes when both are closed.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_disposeGate)
        {
            _disposal ??= DisposeCoreAsync();
            return new ValueTask(_disposal);
        }
    }

    private async Task DisposeCoreAsync()
    {
        if (_system.IsValueCreated)
        {
            await _system.Value.DisposeAsync().ConfigureAwait(false);
        }
        else if (_backend.IsValueCreated)
        {
            await _backend.Value.DisposeAsync().ConfigureAwait(false);
        }
    }
}
