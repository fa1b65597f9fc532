using System.Collections.Concurrent;
using System.Diagnostics;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Papyra.Persistence.Redis.Tests.Cluster;

/// <summary>
/// A master killed with SIGKILL while three systems append with replicated durability (MinReplicas = 1):
/// its replica takes over, appends resume without restarting anything, and no append that completed is
/// missing. Runs on a cluster of its own (it kills a node).
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_completed_append_is_lost_when_a_master_is_killed_and_its_replica_takes_over()
    {
        await using RedisCluster cluster = await RedisCluster.StartAsync();
        string prefix = RedisServer.UniquePrefix();
        string[] systems = ["a", "b", "c"];
        RedisServer victim = await cluster.MasterOfAsync(new RedisStreamKeys(prefix, "a", RedisKeyLayout.HashTagged).Records);
        var backends = new List<RedisStreamsPersistenceBackend>();
        foreach (string system in systems)
        {
            // One connection per system, as separate processes would have.
            backends.Add(await RedisStreamsPersistenceBackend.ConnectAsync(cluster.Options(system, prefix) with { MinReplicas = 1, ReplicaAckTimeout = TimeSpan.FromMilliseconds(500) }));
        }

        var completed = systems.ToDictionary(s => s, _ => new ConcurrentBag<long>());
        var failed = new ConcurrentDictionary<string, int>();
        var lastErrors = new ConcurrentDictionary<string, string>();
        long killedAt = long.MaxValue;
        using var stop = new CancellationTokenSource();
        async Task AppendAsync(int index)
        {
            string system = systems[index];
            for (long seq = 1; !stop.IsCancellationRequested; seq++)
            {
                try
                {
                    await backends[index].RecordEventAsync(Records.Event(seq, system: system));
                    completed[system].Add(seq);
                }
                catch (IOException ex)
                {
                    failed.AddOrUpdate(system, 1, (_, n) => n + 1);
                    lastErrors[system] = ex.InnerException?.Message ?? ex.Message;
                }
            }
        }

        Task[] writers = [.. Enumerable.Range(0, systems.Length).Select(i => Task.Run(() => AppendAsync(i)))];
        try
        {
            await Poll.UntilAsync(() => systems.All(s => completed[s].Count >= 200), Deadline, "200 appends per system before the kill");
            Dictionary<string, int> beforeKill = systems.ToDictionary(s => s, s => completed[s].Count);
            Interlocked.Exchange(ref killedAt, completed["a"].Count);
            var failover = Stopwatch.StartNew();
            await victim.KillAsync();

            // The systems on the other masters resume once the cluster is up again (it is down for every slot
            // until the replica is promoted). The killed master's systems resume too, but with MinReplicas = 1
            // their appends fail (the record stays on the promoted master, unreplicated) until that master
            // has a replica again: the killed node, restarted, rejoins as the replica of the promoted one.
            await Poll.UntilAsync(() => completed["b"].Count >= beforeKill["b"] + 200 && completed["c"].Count >= beforeKill["c"] + 200, Deadline, "200 more appends on the other masters after the failover");
            // Restart the killed node only once its replica was promoted: a master without persistence that
            // came back before the failover would return empty and its replica would copy the empty dataset.
            string slotKey = new RedisStreamKeys(prefix, "a", RedisKeyLayout.HashTagged).Records;
            RedisServer[] survivors = [.. cluster.Nodes.Where(n => n != victim)];
            await Poll.UntilAsync(
                async () =>
                {
                    try
                    {
                        return await cluster.MasterOfAsync(slotKey, survivors) != victim;
                    }
                    catch (InvalidOperationException)
                    {
                        return false;
                    }
                },
                Deadline,
                "the replica of the killed master to be promoted");
            await cluster.WaitUntilHealthyAsync(Deadline);
            await Poll.UntilAsync(() => completed["b"].Count >= beforeKill["b"] + 400 && completed["c"].Count >= beforeKill["c"] + 400, Deadline, "appends on the other masters after the promotion");
            int aBeforeRestart = completed["a"].Count;
            output.WriteLine($"other masters resumed {failover.ElapsedMilliseconds} ms after the SIGKILL; system a: {aBeforeRestart - beforeKill["a"]} appends completed without a replica, last error: {lastErrors.GetValueOrDefault("a")}");
            await victim.RestartAsync();
            await cluster.WaitUntilHealthyAsync(Deadline);
            await Poll.UntilAsync(() => completed["a"].Count >= aBeforeRestart + 200, Deadline, "200 more appends of system a once its master has a replica again");
            output.WriteLine($"system a resumed {failover.ElapsedMilliseconds} ms after the SIGKILL; failed appends: {string.Join(", ", systems.Select(s => $"{s}={failed.GetValueOrDefault(s)}"))}");
            Assert.Contains("replicas required", lastErrors["a"], StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(failed.GetValueOrDefault("a") > 0, "appends to the killed master's slot should have failed during the failover");
        foreach ((string system, RedisStreamsPersistenceBackend backend) in systems.Zip(backends))
        {
            HashSet<double> stored = [.. (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp)];
            long[] missing = [.. completed[system].Where(seq => !stored.Contains(seq)).Order()];
            output.WriteLine($"system {system}: {completed[system].Count} completed appends, {stored.Count} stored, {missing.Length} missing");
            Assert.Empty(missing);
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_replicated_durability_completed_appends_the_replica_never_got_are_lost_in_a_failover_and_with_it_none_are()
    {
        await using RedisCluster cluster = await RedisCluster.StartAsync();
        string prefix = RedisServer.UniquePrefix();
        string stream = new RedisStreamKeys(prefix, "a", RedisKeyLayout.HashTagged).Records;
        RedisServer master = await cluster.MasterOfAsync(stream);
        RedisServer replica = await cluster.ReplicaOfAsync(master);
        await using var plain = await RedisStreamsPersistenceBackend.ConnectAsync(cluster.Options("a", prefix));
        // The same setting twice: a generous acknowledgement timeout while the replica is healthy (the first WAIT
        // after the cluster forms can take a while on a loaded machine), a short one once it is stopped.
        await using var replicatedHealthy = await RedisStreamsPersistenceBackend.ConnectAsync(cluster.Options("a", prefix) with { MinReplicas = 1, ReplicaAckTimeout = TimeSpan.FromMilliseconds(2500) });
        await using var replicated = await RedisStreamsPersistenceBackend.ConnectAsync(cluster.Options("a", prefix) with { MinReplicas = 1, ReplicaAckTimeout = TimeSpan.FromMilliseconds(200) });
        var completed = new List<(string Writer, double Timestamp)>();
        async Task<bool> AppendAsync(RedisStreamsPersistenceBackend backend, string writer, double timestamp)
        {
            try
            {
                await backend.RecordEventAsync(Records.Event(timestamp, system: "a"));
                completed.Add((writer, timestamp));
                return true;
            }
            catch (IOException)
            {
                return false;
            }
        }

        for (int i = 1; i <= 10; i++)
        {
            Assert.True(await AppendAsync(plain, "plain", i));
            Assert.True(await AppendAsync(replicatedHealthy, "replicated", 100 + i));
        }

        // The replica stops (SIGSTOP) and the master drops its replication link (the stopped replica
        // cannot reconnect): from now on the master acknowledges XADDs that no replica receives.
        await RedisCluster.SignalAsync(replica, "STOP");
        try
        {
            await RedisCluster.CommandAsync(master, "client", "kill", "type", "replica");
            for (int i = 11; i <= 30; i++)
            {
                Assert.True(await AppendAsync(plain, "plain", i));
            }

            for (int i = 11; i <= 15; i++)
            {
                Assert.False(await AppendAsync(replicated, "replicated", 100 + i));
            }

            await master.KillAsync();
        }
        finally
        {
            await RedisCluster.SignalAsync(replica, "CONT");
        }

        RedisServer[] survivors = [.. cluster.Nodes.Where(n => n != master)];
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    return await cluster.MasterOfAsync(stream, survivors) == replica;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            },
            Deadline,
            "the stopped replica to be promoted");
        await cluster.WaitUntilHealthyAsync(Deadline);

        await using var reader = await RedisStreamsPersistenceBackend.ConnectAsync(cluster.Options("a", prefix));
        HashSet<double> stored = [.. (await reader.ReadEventsAsync()).Records.Select(r => r.Timestamp)];
        double[] lostPlain = [.. completed.Where(c => c.Writer == "plain" && !stored.Contains(c.Timestamp)).Select(c => c.Timestamp)];
        double[] lostReplicated = [.. completed.Where(c => c.Writer == "replicated" && !stored.Contains(c.Timestamp)).Select(c => c.Timestamp)];
        output.WriteLine($"completed and lost: MinReplicas 0: {lostPlain.Length} of {completed.Count(c => c.Writer == "plain")}; MinReplicas 1: {lostReplicated.Length} of {completed.Count(c => c.Writer == "replicated")}");

        // MinReplicas = 0: every append acknowledged while the replica was behind is gone after the failover.
        Assert.Equal(Enumerable.Range(11, 20).Select(i => (double)i), lostPlain.Order());
        Assert.Empty(lostReplicated);
    }
}
