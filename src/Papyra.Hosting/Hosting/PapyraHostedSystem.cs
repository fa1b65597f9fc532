using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;

namespace Papyra.Hosting;

/// <summary>
/// Owns the hosted actor system and its backend: builds both once from <see cref="PapyraOptions"/>
/// and tracks the lifecycle state that the health endpoint reports.
/// </summary>
internal sealed class PapyraHostedSystem : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask<IPersistenceBackend>> _openBackend;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly Lazy<ActorSystem> _system;
    private IPersistenceBackend? _backend;
    private readonly Lock _disposeGate = new();
    private Task? _disposal;
    private readonly string _contentRoot;
    private int _state;

    public PapyraHostedSystem(IOptions<PapyraOptions> options, IServiceProvider services, ILoggerFactory loggerFactory, IHostEnvironment? environment = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        string contentRoot = environment?.ContentRootPath ?? AppContext.BaseDirectory;
        _contentRoot = contentRoot;
        _openBackend = cancellationToken => PapyraBackendFactory.OpenAsync(Options, services, contentRoot, clock, loggerFactory, cancellationToken);
        _system = new Lazy<ActorSystem>(() => new ActorSystem(new ActorSystemOptions
        {
            SystemId = Options.SystemId,
            Persistence = Backend,
            StartupCheck = Options.Startup.ToConfig(),
            TimeProvider = clock,
            LoggerFactory = loggerFactory,
            Hooks = services.GetService<ISystemHooks>(),
        }));
    }

    /// <summary>The options the system was built from.</summary>
    public PapyraOptions Options { get; }

    /// <summary>The file a file backend keeps its store in, for reports; <see langword="null"/> for other backends and a custom one.</summary>
    public string? StorePath
        => Options.BackendFactory is null && PapyraBackendFactory.IsFileBackend(PersistenceBackendSettings.NormalizeName(Options.Backend)) && Options.Path is not null
            ? PapyraBackendFactory.ResolvePath(Options, _contentRoot)
            : null;

    /// <summary>The retention policy the options give the backend.</summary>
    public RetentionPolicy Retention => Options.Retention.ToPolicy();

    /// <summary>
    /// The persistence backend (owned by <see cref="System"/>). The hosted service opens it at start with
    /// <see cref="OpenBackendAsync"/>; resolved before that, it is opened here, synchronously.
    /// </summary>
    public IPersistenceBackend Backend => Volatile.Read(ref _backend) ?? OpenBackendAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>Opens the backend once; later calls return it.</summary>
    /// <param name="cancellationToken">Cancels opening (connecting).</param>
    /// <returns>The backend.</returns>
    public async ValueTask<IPersistenceBackend> OpenBackendAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _backend) is { } opened)
        {
            return opened;
        }

        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_backend is null)
            {
                IPersistenceBackend backend = await _openBackend(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _backend, backend);
            }

            return _backend!;
        }
        finally
        {
            _openGate.Release();
        }
    }

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
        else if (Volatile.Read(ref _backend) is { } backend)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
        }

        _openGate.Dispose();
    }
}
