namespace Papyra.Persistence;

/// <summary>A stored audit: a snapshot of an actor system's registry and counters.</summary>
public sealed record PersistedAudit : PersistedRecord
{
    /// <summary>Creates an audit record.</summary>
    /// <param name="systemId">The id of the actor system (<c>system_id</c>).</param>
    /// <param name="timestamp">When the audit was taken, in Unix epoch seconds.</param>
    /// <param name="totalActors">Actors known to the system (<c>total_actors</c>).</param>
    /// <param name="aliveActors">Actors running (<c>alive_actors</c>).</param>
    /// <param name="stoppingActors">Actors stopping (<c>stopping_actors</c>).</param>
    /// <param name="restartingActors">Actors restarting (<c>restarting_actors</c>).</param>
    /// <param name="registrySize">Entries in the name registry (<c>registry_size</c>).</param>
    /// <param name="registryOrphans">Registered names whose actor is unknown (<c>registry_orphans</c>).</param>
    /// <param name="registryDead">Registered names whose actor has stopped (<c>registry_dead</c>).</param>
    /// <param name="deadLettersCount">Dead letters so far (<c>dead_letters_count</c>).</param>
    public PersistedAudit(
        string systemId,
        double timestamp,
        int totalActors,
        int aliveActors,
        int stoppingActors,
        int restartingActors,
        int registrySize,
        IReadOnlyList<string>? registryOrphans,
        IReadOnlyList<string>? registryDead,
        long deadLettersCount)
        : base(systemId, timestamp)
    {
        TotalActors = totalActors;
        AliveActors = aliveActors;
        StoppingActors = stoppingActors;
        RestartingActors = restartingActors;
        RegistrySize = registrySize;
        RegistryOrphans = registryOrphans ?? [];
        RegistryDead = registryDead ?? [];
        DeadLettersCount = deadLettersCount;
    }

    /// <inheritdoc/>
    public override PersistedRecordKind Kind => PersistedRecordKind.Audit;

    /// <summary>Actors known to the system (<c>total_actors</c>).</summary>
    public int TotalActors { get; }

    /// <summary>Actors running (<c>alive_actors</c>).</summary>
    public int AliveActors { get; }

    /// <summary>Actors stopping (<c>stopping_actors</c>).</summary>
    public int StoppingActors { get; }

    /// <summary>Actors restarting (<c>restarting_actors</c>).</summary>
    public int RestartingActors { get; }

    /// <summary>Entries in the name registry (<c>registry_size</c>).</summary>
    public int RegistrySize { get; }

    /// <summary>Registered names whose actor is unknown (<c>registry_orphans</c>).</summary>
    public IReadOnlyList<string> RegistryOrphans { get; }

    /// <summary>Registered names whose actor has stopped (<c>registry_dead</c>).</summary>
    public IReadOnlyList<string> RegistryDead { get; }

    /// <summary>Dead letters so far (<c>dead_letters_count</c>).</summary>
    public long DeadLettersCount { get; }

    /// <summary>Content equality: the same system, timestamp, counts, and the same registry names in the same order.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns><see langword="true"/> when both records hold the same fact.</returns>
    public bool Equals(PersistedAudit? other)
        => ReferenceEquals(this, other)
            || (other is not null
                && base.Equals(other)
                && TotalActors == other.TotalActors
                && AliveActors == other.AliveActors
                && StoppingActors == other.StoppingActors
                && RestartingActors == other.RestartingActors
                && RegistrySize == other.RegistrySize
                && DeadLettersCount == other.DeadLettersCount
                && RegistryOrphans.SequenceEqual(other.RegistryOrphans, StringComparer.Ordinal)
                && RegistryDead.SequenceEqual(other.RegistryDead, StringComparer.Ordinal));

    /// <inheritdoc/>
    public override int GetHashCode()
        => HashCode.Combine(base.GetHashCode(), TotalActors, AliveActors, StoppingActors, RestartingActors, RegistrySize, DeadLettersCount, RegistryOrphans.Count + (31 * RegistryDead.Count));
}
