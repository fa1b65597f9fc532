namespace Papyra.Persistence.Redis;

/// <summary>Identifiers of the Redis Streams backend.</summary>
public static class RedisBackendNames
{
    /// <summary>The backend identifier used in reports and on the command line.</summary>
    public const string Backend = "redis";
}
