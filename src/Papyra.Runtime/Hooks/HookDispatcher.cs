using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Papyra.Persistence;

namespace Papyra.Hooks;

/// <summary>
/// Runs <see cref="ISystemHooks"/> callbacks off the actors' threads, one at a time in the order
/// things happened, awaiting each. A hook that throws is logged and ignored.
/// </summary>
internal sealed class HookDispatcher : IAsyncDisposable
{
    private readonly ISystemHooks _hooks;
    private readonly ILogger _logger;
    private readonly CancellationToken _shutdown;
    private readonly Channel<object> _calls = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public HookDispatcher(ISystemHooks hooks, ILogger logger, CancellationToken shutdown)
    {
        _hooks = hooks;
        _logger = logger;
        _shutdown = shutdown;
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Queues a callback for an <see cref="ActorEvent"/>, <see cref="DeadLetter"/>, <see cref="FailureInfo"/> or <see cref="AuditReport"/>.</summary>
    public void Post(object payload) => _calls.Writer.TryWrite(payload);

    /// <summary>Runs a callback now and awaits it (startup hooks, which must finish before any actor runs).</summary>
    public ValueTask InvokeNowAsync(object payload, CancellationToken cancellationToken) => InvokeAsync(payload, cancellationToken);

    /// <summary>Waits until every queued callback has run.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_calls.Writer.TryWrite(marker))
        {
            await marker.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _calls.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (object payload in _calls.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (payload is TaskCompletionSource marker)
            {
                marker.TrySetResult();
                continue;
            }

            await InvokeAsync(payload, _shutdown).ConfigureAwait(false);
        }
    }

    private async ValueTask InvokeAsync(object payload, CancellationToken cancellationToken)
    {
        string hook = payload switch
        {
            ActorEvent => nameof(ISystemHooks.OnEventAsync),
            DeadLetter => nameof(ISystemHooks.OnDeadLetterAsync),
            FailureInfo => nameof(ISystemHooks.OnFailureAsync),
            AuditReport => nameof(ISystemHooks.OnAuditAsync),
            PersistenceScanReport => nameof(ISystemHooks.OnPersistenceScanAsync),
            _ => nameof(ISystemHooks.OnPersistenceRecoveryAsync),
        };

        try
        {
            ValueTask call = payload switch
            {
                ActorEvent e => _hooks.OnEventAsync(e, cancellationToken),
                DeadLetter d => _hooks.OnDeadLetterAsync(d, cancellationToken),
                FailureInfo f => _hooks.OnFailureAsync(f, cancellationToken),
                AuditReport a => _hooks.OnAuditAsync(a, cancellationToken),
                PersistenceScanReport s => _hooks.OnPersistenceScanAsync(s, cancellationToken),
                PersistenceRecoveryReport r => _hooks.OnPersistenceRecoveryAsync(r, cancellationToken),
                _ => ValueTask.CompletedTask,
            };
            await call.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The system hook {Hook} threw; the error is ignored.", hook);
        }
    }
}
