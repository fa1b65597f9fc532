namespace Papyra.Persistence.Serialization;

/// <summary>The field names of the NDJSON record format (snake_case, as the Python original writes them).</summary>
[PapyraInternal]
public static class RecordFieldNames
{
    /// <summary>The record kind discriminator; always the first field.</summary>
    public const string Kind = "kind";

    /// <summary>The producing system's id.</summary>
    public const string SystemId = "system_id";

    /// <summary>Unix epoch seconds.</summary>
    public const string Timestamp = "timestamp";

    /// <summary>Event: the actor's address.</summary>
    public const string ActorAddress = "actor_address";

    /// <summary>Event: the event type name.</summary>
    public const string EventType = "event_type";

    /// <summary>Event and dead letter: the payload.</summary>
    public const string Payload = "payload";

    /// <summary>Audit: actors known.</summary>
    public const string TotalActors = "total_actors";

    /// <summary>Audit: actors running.</summary>
    public const string AliveActors = "alive_actors";

    /// <summary>Audit: actors stopping.</summary>
    public const string StoppingActors = "stopping_actors";

    /// <summary>Audit: actors restarting.</summary>
    public const string RestartingActors = "restarting_actors";

    /// <summary>Audit: registry entries.</summary>
    public const string RegistrySize = "registry_size";

    /// <summary>Audit: names whose actor is unknown.</summary>
    public const string RegistryOrphans = "registry_orphans";

    /// <summary>Audit: names whose actor stopped.</summary>
    public const string RegistryDead = "registry_dead";

    /// <summary>Audit: dead letters so far.</summary>
    public const string DeadLettersCount = "dead_letters_count";

    /// <summary>Dead letter: the target address.</summary>
    public const string Target = "target";

    /// <summary>Dead letter: the message type name.</summary>
    public const string MessageType = "message_type";

    /// <summary>Dead letter: whether the sender waited for a reply.</summary>
    public const string ExpectsReply = "expects_reply";

    /// <summary>Address object: the system id.</summary>
    public const string AddressSystem = "system";

    /// <summary>Address object: the actor id.</summary>
    public const string AddressActorId = "actor_id";
}
