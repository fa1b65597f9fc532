using Papyra.Persistence;

namespace Papyra;

/// <summary>A no-op <see cref="ISystemHooks"/>: override only the callbacks you need.</summary>
public abstract class SystemHooks : ISystemHooks
{
    /// <inheritdoc/>
    public virtual ValueTask OnEventAsync(ActorEvent actorEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask OnFailureAsync(FailureInfo failure, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask OnAuditAsync(AuditReport report, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask OnPersistenceScanAsync(PersistenceScanReport report, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc/>
    public virtual ValueTask OnPersistenceRecoveryAsync(PersistenceRecoveryReport report, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
