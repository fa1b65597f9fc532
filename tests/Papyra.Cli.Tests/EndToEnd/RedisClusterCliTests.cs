using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>The CLI against a real Redis Cluster, from options, the config file and the environment: several endpoints in the URL and hash-tagged keys; recovery and compaction without CROSSSLOT.</summary>
public sealed class RedisClusterCliTests : IAsyncLifetime
{
    private RedisCluster? _cluster;

    private RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Scan_recover_compact_and_inspect_a_cluster_store_from_options_config_file_and_environment()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        RedisStreamsOptions options = Cluster.Options("orders", prefix);
        await using (var writer = await RedisStreamsPersistenceBackend.ConnectAsync(options))
        {
            for (int i = 1; i <= 5; i++)
            {
                await writer.RecordEventAsync(CliRedisFixture.Event(i * 100, system: "orders"));
            }

            await writer.Connection.GetDatabase().StreamAddAsync(writer.Keys.Records, "data", "{");
        }

        string[] store = ["--backend", "redis", "--redis-url", Cluster.Url, "--key-prefix", prefix, "--system-id", "orders", "--redis-key-layout", "hash_tagged"];
        CliResult scan = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--json", .. store]);
        CliResult recover = await PapyraProcess.RunAsync(dir.Root, ["persistence", "recover", "--json", .. store]);
        CliResult compact = await PapyraProcess.RunAsync(dir.Root, ["persistence", "compact", "--json", "--max-records", "2", .. store]);

        CliAssert.ExitCode(2, scan);
        Assert.Equal($"{prefix}:{{orders}}:records", scan.Json().GetProperty("path").GetString());
        CliAssert.ExitCode(0, recover);
        Assert.True(recover.Json().GetProperty("verification").GetProperty("healthy").GetBoolean());
        CliAssert.ExitCode(0, compact);

        File.WriteAllText(
            dir.PathOf("papyra.json"),
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["backend"] = "redis",
                ["redis_url"] = Cluster.Url,
                ["redis"] = new Dictionary<string, string> { ["system_id"] = "orders", ["key_prefix"] = prefix, ["key_layout"] = "hash_tagged" },
            }));
        using var elsewhere = new StoreDirectory();
        var environment = new Dictionary<string, string>
        {
            ["PAPYRA_BACKEND"] = "redis",
            ["PAPYRA_REDIS_URL"] = Cluster.Url,
            ["PAPYRA_REDIS_SYSTEM_ID"] = "orders",
            ["PAPYRA_REDIS_KEY_PREFIX"] = prefix,
            ["PAPYRA_REDIS_KEY_LAYOUT"] = "hash_tagged",
        };
        CliResult fromFile = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--json");
        CliResult fromEnvironment = await PapyraProcess.RunAsync(elsewhere.Root, environment, "inspect", "events", "--json");
        CliResult legacyRefused = await PapyraProcess.RunAsync(elsewhere.Root, "persistence", "scan", "--backend", "redis", "--redis-url", Cluster.Url, "--key-prefix", prefix);

        CliAssert.ExitCode(0, fromFile);
        Assert.Equal([400.0, 500.0], fromFile.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
        CliAssert.ExitCode(0, fromEnvironment);
        Assert.Equal([400.0, 500.0], fromEnvironment.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
        CliAssert.ExitCode(64, legacyRefused);
        Assert.Contains("HashTagged", legacyRefused.AllOutput, StringComparison.Ordinal);
    }
}
