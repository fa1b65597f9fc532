using Papyra.Persistence;

namespace ThirdPartyTool;

/// <summary>
/// A minimal read-only backend with a few events, so the sample runs on its own. In a real integration the host
/// application passes its configured backend (the tool never creates Papyra.Runtime's backends itself: that
/// would make it depend on the runtime, which PAP0003 forbids).
/// </summary>
internal sealed class SampleBackend : IPersistenceBackend
{
    private readonly List<PersistedEvent> _events =
    [
        new("local", new Papyra.ActorAddress("local", 1), "ActorStarted", null, 1_700_000_000.0),
        new("local", new Papyra.ActorAddress("local", 2), "ActorStarted", null, 1_700_000_001.5),
        new("local", new Papyra.ActorAddress("local", 2), "ActorCrashed", null, 1_700_000_002.25),
        new("local", new Papyra.ActorAddress("local", 2), "ActorRestarted", null, 1_700_000_002.5),
    ];

    public string Name => "sample";

    public RetentionPolicy Retention => RetentionPolicy.Unlimited;

    public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default)
    {
        IEnumerable<PersistedEvent> events = _events;
        if (query?.Type is { } type)
        {
            events = events.Where(e => e.EventType == type);
        }

        var list = events.ToList();
        if (query?.Limit is { } limit && list.Count > limit)
        {
            list = list.GetRange(list.Count - limit, limit);
        }

        return ValueTask.FromResult(new PersistenceReadResult<PersistedEvent>(list, 0));
    }

    public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new PersistenceReadResult<PersistedAudit>([], 0));

    public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new PersistenceReadResult<PersistedDeadLetter>([], 0));

    public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => throw ReadOnly();

    public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => throw ReadOnly();

    public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => throw ReadOnly();

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static NotSupportedException ReadOnly() => new("The sample backend is read-only.");
}
