using Papyra.Persistence;

namespace Papyra;

/// <summary>
/// Callbacks an actor system makes about what happens in it. They run off the actors' threads,
/// one at a time in the order things happened, and are awaited; a hook that throws is logged and
/// ignored. Derive from <see cref="SystemHooks"/> to implement only some of them.
/// </summary>
public interface ISystemHooks
{
    /// <summary>Called for every lifecycle event.</summary>
    /// <param name="actorEvent">The event.</param>
    /// <param name="cancellationToken">Signalled when the system is disposed.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnEventAsync(ActorEvent actorEvent, CancellationToken cancellationToken);

    /// <summary>Called for every dead letter.</summary>
    /// <param name="deadLetter">The dead letter.</param>
    /// <param name="cancellationToken">Signalled when the system is disposed.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken);

    /// <summary>Called when an actor fails, and again when its parent decides what to do.</summary>
    /// <param name="failure">The failure.</param>
    /// <param name="cancellationToken">Signalled when the system is disposed.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnFailureAsync(FailureInfo failure, CancellationToken cancellationToken);

    /// <summary>Called for every audit.</summary>
    /// <param name="report">The audit.</param>
    /// <param name="cancellationToken">Signalled when the system is disposed.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnAuditAsync(AuditReport report, CancellationToken cancellationToken);

    /// <summary>Called at startup with the persistence scan, before any actor runs.</summary>
    /// <param name="report">The scan report.</param>
    /// <param name="cancellationToken">Cancels startup.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnPersistenceScanAsync(PersistenceScanReport report, CancellationToken cancellationToken);

    /// <summary>Called at startup with the persistence recovery, when one ran.</summary>
    /// <param name="report">The recovery report.</param>
    /// <param name="cancellationToken">Cancels startup.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnPersistenceRecoveryAsync(PersistenceRecoveryReport report, CancellationToken cancellationToken);
}
