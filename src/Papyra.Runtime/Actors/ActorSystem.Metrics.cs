using Papyra.Actors;
using Papyra.Diagnostics;
using Papyra.Metrics;
using Papyra.Persistence;

namespace Papyra;

/// <summary>The actor system's runtime metrics and their <c>System.Diagnostics.Metrics</c> instruments.</summary>
public sealed partial class ActorSystem
{
    /// <summary>The tag carrying the system id on every instrument the system publishes.</summary>
    public const string SystemIdTag = "papyra.system_id";

    private readonly StripedCounter _messagesProcessed = new();
    private long _restarts;
    private RuntimeMetricsInstruments? _runtimeInstruments;
    private PersistenceMetricsInstruments? _persistenceInstruments;

    /// <summary>
    /// Returns the runtime metrics now: messages processed, dead letters, restarts and dropped late
    /// replies since the system was created; mailbox depth and actors alive at this moment.
    /// </summary>
    /// <returns>A snapshot keyed by the generated <see cref="RuntimeMetricNames"/>.</returns>
    public RuntimeMetricsSnapshot GetMetricsSnapshot()
    {
        (long depth, long alive) = _registry.Measure();

        return new RuntimeMetricsSnapshot
        {
            MessagesProcessed = _messagesProcessed.Read(),
            DeadLetters = DeadLetterCount,
            Restarts = Interlocked.Read(ref _restarts),
            LateRepliesDropped = LateReplies,
            MailboxDepth = depth,
            ActorsAlive = alive,
        };
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void CountMessageProcessed() => _messagesProcessed.Increment();

    internal void CountRestart() => Interlocked.Increment(ref _restarts);

    /// <summary>
    /// Publishes the meters <c>Papyra.Runtime</c> (this system) and <c>Papyra.Persistence</c> (its
    /// backend, when it counts), tagged with the system id. Observable instruments read the
    /// snapshots only when a listener collects, so an unobserved system pays nothing.
    /// </summary>
    private void PublishInstruments()
    {
        KeyValuePair<string, object?> system = new(SystemIdTag, SystemId);
        _runtimeInstruments = new RuntimeMetricsInstruments(GetMetricsSnapshot, system);
        if (Options.Persistence is IPersistenceMetrics metrics)
        {
            _persistenceInstruments = new PersistenceMetricsInstruments(
                metrics.GetMetricsSnapshot,
                system,
                new KeyValuePair<string, object?>(PersistenceActivities.BackendTag, Options.Persistence.Name));
        }
    }

    private void UnpublishInstruments()
    {
        _runtimeInstruments?.Dispose();
        _persistenceInstruments?.Dispose();
    }
}
