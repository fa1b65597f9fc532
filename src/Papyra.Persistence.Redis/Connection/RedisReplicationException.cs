using System.Globalization;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Connection;

/// <summary>An append the master stored but fewer replicas than <see cref="RedisStreamsOptions.MinReplicas"/> acknowledged in time.</summary>
internal sealed class RedisReplicationException(long acknowledged, int wanted, TimeSpan timeout)
    : RedisException(string.Create(
        CultureInfo.InvariantCulture,
        $"the master stored it but only {acknowledged} of the {wanted} replicas required (MinReplicas) acknowledged it within {timeout.TotalMilliseconds:0} ms; a failover before it reaches them can lose it"))
{
    public long Acknowledged { get; } = acknowledged;
}
