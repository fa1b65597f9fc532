namespace Papyra.DeadLetters;

/// <summary>
/// Counts the messages refused while a system shuts down, per target, message type, ask or tell,
/// and reason, until every actor has stopped; <see cref="Seal"/> then turns each group into one
/// <see cref="DeadLetterSummary"/>.
/// </summary>
/// <remarks>
/// A lock of its own, not the dead-letter log's: senders refused in a tight loop contend with each
/// other here, not with the actors turning their queued messages into dead letters, and a sender
/// that waits for the lock does not take CPU from the shutdown.
/// </remarks>
internal sealed class ShutdownRefusals
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Key, Group> _groups = [];
    private long _total;
    private long _groupsCreated;
    private bool _sealed;

    /// <summary>How many messages were refused and summarised.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Counts a refused message; <see langword="false"/> once sealed (the caller records it on its own).</summary>
    public bool TryAdd(ActorAddress target, object message, bool expectsReply, DeadLetterReason reason, Func<double> now)
    {
        var key = new Key(target.Id, message.GetType(), expectsReply, reason);
        lock (_gate)
        {
            if (_sealed)
            {
                return false;
            }

            if (!_groups.TryGetValue(key, out Group? group))
            {
                group = new Group(target, now(), ++_groupsCreated);
                _groups.Add(key, group);
            }

            group.Count++;
            _total++;
            return true;
        }
    }

    /// <summary>Stops counting and returns the summaries, in the order their first message was refused.</summary>
    public List<DeadLetter> Seal(double timestamp)
    {
        List<(Key Key, Group Group)> groups;
        lock (_gate)
        {
            _sealed = true;
            groups = [.. _groups.Select(static pair => (pair.Key, pair.Value))];
            _groups.Clear();
        }

        groups.Sort(static (a, b) => a.Group.Sequence.CompareTo(b.Group.Sequence));
        return groups.ConvertAll(g => new DeadLetter(
            g.Group.Target,
            new DeadLetterSummary(g.Key.Type.Name, g.Group.Count, g.Group.FirstTimestamp),
            nameof(DeadLetterSummary),
            g.Key.ExpectsReply,
            timestamp,
            g.Key.Reason));
    }

    private readonly record struct Key(long TargetId, Type Type, bool ExpectsReply, DeadLetterReason Reason);

    private sealed class Group(ActorAddress target, double firstTimestamp, long sequence)
    {
        public ActorAddress Target { get; } = target;

        public double FirstTimestamp { get; } = firstTimestamp;

        public long Sequence { get; } = sequence;

        public long Count { get; set; }
    }
}
