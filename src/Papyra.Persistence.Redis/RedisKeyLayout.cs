namespace Papyra.Persistence.Redis;

/// <summary>How a system's Redis keys are named (<see cref="RedisStreamKeys"/>).</summary>
public enum RedisKeyLayout
{
    /// <summary>
    /// <c>&lt;prefix&gt;:&lt;system&gt;:records</c>, <c>…:quarantine</c>, …: the layout of every store written
    /// before hash-tagged keys existed, and the default. The keys of one system fall in different hash
    /// slots, so on a Redis Cluster recovery and compaction fail (<c>CROSSSLOT</c>); a backend refuses this
    /// layout on a cluster. Move a store to <see cref="HashTagged"/> with <see cref="RedisKeyMigration"/>
    /// (<c>papyra persistence migrate-keys</c>).
    /// </summary>
    Legacy = 0,

    /// <summary>
    /// <c>&lt;prefix&gt;:{&lt;system&gt;}:records</c>, <c>…:{&lt;system&gt;}:quarantine</c>, …: the system id is a
    /// Redis Cluster hash tag, so every key of one system is in one hash slot (and on one master), and
    /// multi-key transactions, renames and consumer-group dead-lettering work on a cluster. Works on a
    /// single server as well. The prefix may not contain <c>{</c> or <c>}</c>.
    /// </summary>
    HashTagged = 1,
}
