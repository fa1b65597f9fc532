using System.Diagnostics;
using Papyra.Persistence.Redis.Consumers;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests.Cluster;

/// <summary>
/// Three systems' writer processes append to the cluster; a consumer process killed with SIGKILL while it holds a batch: another consumer of the group claims its
/// entries (XAUTOCLAIM), and every record of several systems is delivered at least once, counted.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ConsumerKillTests(RedisClusterFixture cluster)
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Entries_of_a_consumer_killed_mid_batch_are_claimed_and_every_record_is_delivered_at_least_once()
    {
        string prefix = RedisServer.UniquePrefix();
        string[] systems = ["orders", "billing", "shipping"];
        const int PerSystem = 250;
        var delivered = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new HashSet<string>(StringComparer.Ordinal);
        int killedBatch = 0;

        // Several systems, each in its own process, write to the cluster at the same time.
        Process[] writers = [.. systems.Select(system => StartChild("write", cluster.Cluster.Url, prefix, system, "hash_tagged", PerSystem.ToString(System.Globalization.CultureInfo.InvariantCulture)))];
        foreach (Process writer in writers)
        {
            using (writer)
            {
                Assert.Equal($"written {PerSystem}", await ReadLineAsync(writer));
                await writer.WaitForExitAsync();
                Assert.Equal(0, writer.ExitCode);
            }
        }

        foreach (string system in systems)
        {
            // The shippers' group reads each system's stream.
            RedisStreamsOptions options = cluster.Options(system, prefix);
            await using var backend = new RedisStreamsPersistenceBackend(cluster.Connection, options);
            Assert.Equal(Enumerable.Range(1, PerSystem).Select(i => (double)i), (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp).Order());
            all.UnionWith((await cluster.Raw.StreamRangeAsync(backend.Keys.Records)).Select(e => system + "/" + (string)e.Id!));

            using Process child = StartChild(cluster.Cluster.Url, prefix, system, "hash_tagged", "shippers", "doomed", "40");
            try
            {
                // Two batches processed and acknowledged, then killed while holding the third.
                List<string> held = [];
                for (int batch = 0; batch < 3; batch++)
                {
                    held = await ReadBatchAsync(child);
                    if (batch < 2)
                    {
                        await child.StandardInput.WriteLineAsync("ack");
                        await child.StandardInput.FlushAsync();
                        Assert.Equal($"acked {held.Count}", await ReadLineAsync(child));
                        Count(delivered, system, held);
                    }
                }

                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
                killedBatch += held.Count;
                Count(delivered, system, held);
            }
            finally
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }
            }

            // The survivor claims the dead consumer's entries, then reads the rest.
            RedisStreamConsumer survivor = backend.CreateConsumer(new RedisConsumerOptions("shippers", "survivor") { BatchSize = 100 });
            RedisClaimResult claimed = await survivor.ClaimIdleAsync(TimeSpan.Zero);
            Assert.Equal(40, claimed.Claimed.Count);
            Assert.All(claimed.Claimed, e => Assert.Equal(2, e.DeliveryCount));
            Count(delivered, system, claimed.Claimed.Select(e => e.Id));
            await survivor.AckAsync(claimed.Claimed.Select(e => e.Id));
            while (await survivor.ReadAsync() is { Count: > 0 } batch)
            {
                Count(delivered, system, batch.Select(e => e.Id));
                await survivor.AckAsync(batch.Select(e => e.Id));
            }

            Assert.Equal(0, (await survivor.GetPendingAsync()).Count);
        }

        // At least once: every record delivered, the killed batch exactly twice, nothing else twice.
        Assert.Equal(all.Order(StringComparer.Ordinal), delivered.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3 * 40, killedBatch);
        Assert.Equal(killedBatch, delivered.Values.Count(n => n == 2));
        Assert.Equal((systems.Length * PerSystem) + killedBatch, delivered.Values.Sum());
    }

    private static void Count(Dictionary<string, int> delivered, string system, IEnumerable<string> ids)
    {
        foreach (string id in ids)
        {
            string key = system + "/" + id;
            delivered[key] = delivered.GetValueOrDefault(key) + 1;
        }
    }

    private static async Task<List<string>> ReadBatchAsync(Process child)
    {
        var ids = new List<string>();
        while (true)
        {
            string line = await ReadLineAsync(child);
            if (line.StartsWith("got ", StringComparison.Ordinal))
            {
                ids.Add(line[4..]);
            }
            else if (line.StartsWith("holding ", StringComparison.Ordinal))
            {
                Assert.Equal($"holding {ids.Count}", line);
                return ids;
            }
            else
            {
                throw new InvalidOperationException($"Unexpected line from the consumer: {line}");
            }
        }
    }

    private static async Task<string> ReadLineAsync(Process child)
        => await child.StandardOutput.ReadLineAsync().WaitAsync(LineTimeout)
            ?? throw new InvalidOperationException($"The consumer exited ({(child.HasExited ? child.ExitCode : -1)}): {await child.StandardError.ReadToEndAsync()}");

    private static Process StartChild(params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Papyra.RedisConsumer.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The consumer did not start.");
    }
}
