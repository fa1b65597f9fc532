using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests.Cluster;

/// <summary>MinReplicas: an append completes only when that many replicas acknowledged it (WAIT), on a real cluster with one replica per master.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ReplicatedDurabilityTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task Appends_complete_once_the_replica_has_them()
    {
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options("replicated") with { MinReplicas = 1, ReplicaAckTimeout = TimeSpan.FromMilliseconds(2500) });

        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => backend.RecordEventAsync(Records.Event(i, system: "replicated")).AsTask()));

        Assert.Equal(200, backend.GetMetricsSnapshot().RecordsWritten);
        Assert.Equal(0, backend.GetMetricsSnapshot().WriteErrors);

        // Every acknowledged entry is on the replica of the stream's master already (read from the replica itself).
        Assert.Equal(200, await cluster.Raw.StreamLengthAsync(backend.Keys.Records, StackExchange.Redis.CommandFlags.DemandReplica));
    }

    [Fact]
    public async Task An_append_fewer_replicas_acknowledged_fails_and_is_counted_but_stays_on_the_master()
    {
        await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, cluster.Options("short") with { MinReplicas = 2, ReplicaAckTimeout = TimeSpan.FromMilliseconds(100) });

        var error = await Assert.ThrowsAsync<IOException>(() => backend.RecordEventAsync(Records.Event(1, system: "short")).AsTask());

        // One replica exists; under load it may not even have acknowledged within the 100 ms.
        Assert.Matches("only [01] of the 2 replicas required", error.Message);
        Assert.Equal((0, 1), (backend.GetMetricsSnapshot().RecordsWritten, backend.GetMetricsSnapshot().WriteErrors));
        Assert.Equal(1, await cluster.Raw.StreamLengthAsync(backend.Keys.Records));
    }
}
