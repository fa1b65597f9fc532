using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>Every command against a real redis-server started by the test run (SPEC §7, issue 8).</summary>
[Collection(CliRedisCollection.Name)]
public sealed class RedisBackendTests(CliRedisFixture redis)
{
    [Fact]
    public async Task A_healthy_redis_store_scans_clean_and_every_read_command_sees_its_records()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await WriteHealthyAsync(prefix);

        CliResult scan = await RunAsync(dir, prefix, "persistence", "scan", "--json");
        CliResult doctor = await RunAsync(dir, prefix, "doctor", "run", "--json");
        CliResult startup = await RunAsync(dir, prefix, "persistence", "startup-check", "--json");
        CliResult summary = await RunAsync(dir, prefix, "inspect", "summary", "--json");
        CliResult inspect = await RunAsync(dir, prefix, "persistence", "inspect", "--json");

        CliAssert.ExitCode(0, scan);
        JsonElement report = scan.Json();
        Assert.Equal("redis", report.GetProperty("backend").GetString());
        Assert.Equal($"{prefix}:local:records", report.GetProperty("path").GetString());
        Assert.True(report.GetProperty("healthy").GetBoolean());
        Assert.Equal(5, report.GetProperty("records_scanned").GetInt64());
        CliAssert.ExitCode(0, doctor);
        CliAssert.ExitCode(0, startup);
        CliAssert.ExitCode(0, summary);
        Assert.Equal((3, 1, 1), Counts(summary.Json()));
        CliAssert.ExitCode(0, inspect);
        Assert.Equal((3, 1, 1), Counts(inspect.Json()));
        Assert.All(["scan", "recover", "compact", "metrics"], c => Assert.True(inspect.Json().GetProperty("capabilities").GetProperty(c).GetBoolean(), c));
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Bad_entries_scan_2_and_recover_moves_them_to_the_quarantine_stream()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using (RedisStreamsPersistenceBackend writer = await redis.WriterAsync(prefix))
        {
            await writer.RecordEventAsync(CliRedisFixture.Event(100));
            await redis.Raw.StreamAddAsync(writer.Keys.Records, "data", "{\"kind\": ");
            await redis.Raw.StreamAddAsync(writer.Keys.Records, "data", "{\"kind\":\"gossip\",\"timestamp\":1}");
            await writer.RecordEventAsync(CliRedisFixture.Event(200));
        }

        string records = $"{prefix}:local:records";
        CliResult scan = await RunAsync(dir, prefix, "persistence", "scan", "--json");
        CliResult human = await RunAsync(dir, prefix, "persistence", "scan");
        CliResult recover = await RunAsync(dir, prefix, "persistence", "recover", "--json");
        CliResult after = await RunAsync(dir, prefix, "persistence", "scan", "--json");

        CliAssert.ExitCode(2, scan);
        JsonElement anomalies = scan.Json().GetProperty("anomalies");
        Assert.Equal(["UndecodableEntry", "InvalidRecord"], anomalies.EnumerateArray().Select(a => a.GetProperty("type").GetString()));
        Assert.All(anomalies.EnumerateArray(), a => Assert.Equal(records, a.GetProperty("path").GetString()));
        CliAssert.ExitCode(2, human);
        Assert.Contains(records, human.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, recover);
        JsonElement recovery = recover.Json();
        Assert.True(recovery.GetProperty("verification").GetProperty("healthy").GetBoolean());
        Assert.Equal([records], recovery.GetProperty("recovery").GetProperty("repaired_files").EnumerateArray().Select(f => f.GetString()));
        CliAssert.ExitCode(0, after);
        Assert.Equal(2, await redis.Raw.StreamLengthAsync(records));
        Assert.Equal(2, await redis.Raw.StreamLengthAsync($"{prefix}:local:quarantine"));
        CliResult events = await RunAsync(dir, prefix, "inspect", "events", "--json");
        Assert.Equal([100.0, 200.0], events.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
    }

    [Fact]
    public async Task Doctor_and_startup_check_use_their_exit_codes_on_a_damaged_redis_store()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await WriteDamagedAsync(prefix);

        CliResult doctor = await RunAsync(dir, prefix, "doctor", "run");
        CliResult failing = await RunAsync(dir, prefix, "persistence", "startup-check");
        CliResult ignoring = await RunAsync(dir, prefix, "persistence", "startup-check", "--mode", "recover", "--recovery-mode", "ignore");
        CliResult recovering = await RunAsync(dir, prefix, "persistence", "startup-check", "--mode", "recover", "--json");

        CliAssert.ExitCode(1, doctor);
        CliAssert.ExitCode(4, failing);
        CliAssert.ExitCode(5, ignoring);
        CliAssert.ExitCode(0, recovering);
        Assert.Equal(1, await redis.Raw.StreamLengthAsync($"{prefix}:local:quarantine"));
    }

    [Fact]
    public async Task Quarantine_renames_the_stream_inside_redis_and_needs_no_quarantine_dir()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await WriteDamagedAsync(prefix);

        CliResult withDirectory = await RunAsync(dir, prefix, "persistence", "recover", "--mode", "quarantine", "--quarantine-dir", dir.PathOf("q"));
        CliResult quarantine = await RunAsync(dir, prefix, "persistence", "recover", "--mode", "quarantine", "--json");

        CliAssert.ExitCode(64, withDirectory);
        CliAssert.OneSentenceError(withDirectory, "--quarantine-dir does not apply to the redis backend");
        CliAssert.ExitCode(0, quarantine);
        string moved = Assert.Single(quarantine.Json().GetProperty("recovery").GetProperty("quarantined_files").EnumerateArray()).GetString()!;
        Assert.StartsWith($"{prefix}:local:quarantine:", moved, StringComparison.Ordinal);
        Assert.Equal(3, await redis.Raw.StreamLengthAsync(moved));
        Assert.False(await redis.Raw.KeyExistsAsync($"{prefix}:local:records"));
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Inspect_filters_apply_to_redis_records()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using (RedisStreamsPersistenceBackend writer = await redis.WriterAsync(prefix))
        {
            await writer.RecordEventAsync(CliRedisFixture.Event(100, actor: 1));
            await writer.RecordEventAsync(CliRedisFixture.Event(200, actor: 2));
            await writer.RecordEventAsync(CliRedisFixture.Event(300, actor: 1, type: "ActorStopped"));
            await writer.RecordAuditAsync(CliRedisFixture.Audit(400));
            await writer.RecordDeadLetterAsync(CliRedisFixture.DeadLetter(500));
        }

        async Task<double[]> Timestamps(params string[] args)
        {
            CliResult result = await RunAsync(dir, prefix, [.. args, "--json"]);
            CliAssert.ExitCode(0, result);
            return [.. result.Json().EnumerateArray().Select(r => r.GetProperty("timestamp").GetDouble())];
        }

        Assert.Equal(new[] { 100.0, 200.0, 300.0 }, await Timestamps("inspect", "events"));
        Assert.Equal(new[] { 300.0 }, await Timestamps("inspect", "events", "--type", "ActorStopped"));
        Assert.Equal(new[] { 100.0, 300.0 }, await Timestamps("inspect", "events", "--actor", "local:1"));
        Assert.Equal(new[] { 200.0, 300.0 }, await Timestamps("inspect", "events", "--since", "200"));
        Assert.Equal(new[] { 300.0, 200.0 }, await Timestamps("inspect", "events", "--limit", "2", "--reverse"));
        Assert.Equal(new[] { 400.0 }, await Timestamps("inspect", "audits"));
        Assert.Equal(new[] { 500.0 }, await Timestamps("inspect", "dead-letters"));
        Assert.Equal(new[] { 300.0 }, await Timestamps("inspect", "events", "--max-records", "3"));
    }

    [Fact]
    public async Task Two_systems_sharing_one_redis_are_inspected_separately_by_system_id()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using (RedisStreamsPersistenceBackend alpha = await redis.WriterAsync(prefix, "alpha"))
        await using (RedisStreamsPersistenceBackend beta = await redis.WriterAsync(prefix, "beta"))
        {
            await alpha.RecordEventAsync(CliRedisFixture.Event(100, system: "alpha"));
            await beta.RecordEventAsync(CliRedisFixture.Event(110, system: "beta"));
            await beta.RecordEventAsync(CliRedisFixture.Event(120, system: "beta"));
            await beta.RecordDeadLetterAsync(CliRedisFixture.DeadLetter(130, system: "beta"));
            await redis.Raw.StreamAddAsync(beta.Keys.Records, "data", "not a record");
        }

        CliResult alphaSummary = await PapyraProcess.RunAsync(dir.Root, ["inspect", "summary", "--json", .. redis.StoreArgs(prefix, "alpha")]);
        CliResult betaSummary = await PapyraProcess.RunAsync(dir.Root, ["inspect", "summary", "--json", .. redis.StoreArgs(prefix, "beta")]);
        CliResult alphaScan = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--json", .. redis.StoreArgs(prefix, "alpha")]);
        CliResult betaScan = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--json", .. redis.StoreArgs(prefix, "beta")]);
        CliResult defaultSystem = await RunAsync(dir, prefix, "inspect", "summary", "--json");

        CliAssert.ExitCode(0, alphaSummary);
        Assert.Equal((1, 0, 0), Counts(alphaSummary.Json()));
        Assert.Equal($"{prefix}:alpha:records", alphaSummary.Json().GetProperty("path").GetString());
        CliAssert.ExitCode(0, betaSummary);
        Assert.Equal((2, 0, 1), Counts(betaSummary.Json()));
        Assert.Equal(1, betaSummary.Json().GetProperty("skipped").GetInt64());
        CliAssert.ExitCode(0, alphaScan);
        CliAssert.ExitCode(2, betaScan);
        Assert.Equal($"{prefix}:beta:records", betaScan.Json().GetProperty("path").GetString());
        CliAssert.ExitCode(0, defaultSystem);
        Assert.Equal((0, 0, 0), Counts(defaultSystem.Json()));
    }

    [Fact]
    public async Task The_config_file_and_the_environment_select_redis_with_its_system_id_and_key_prefix()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using (RedisStreamsPersistenceBackend writer = await redis.WriterAsync(prefix, "billing"))
        {
            await writer.RecordEventAsync(CliRedisFixture.Event(100, system: "billing"));
        }

        File.WriteAllText(
            dir.PathOf("papyra.json"),
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["backend"] = "redis",
                ["redis_url"] = redis.Url,
                ["redis"] = new Dictionary<string, string> { ["system_id"] = "billing", ["key_prefix"] = prefix },
            }));
        var environment = new Dictionary<string, string>
        {
            ["PAPYRA_BACKEND"] = "redis",
            ["PAPYRA_REDIS_URL"] = redis.Url,
            ["PAPYRA_REDIS_SYSTEM_ID"] = "billing",
            ["PAPYRA_REDIS_KEY_PREFIX"] = prefix,
        };
        using var elsewhere = new StoreDirectory();

        CliResult fromFile = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--json");
        CliResult fromEnvironment = await PapyraProcess.RunAsync(elsewhere.Root, environment, "inspect", "summary", "--json");
        CliResult optionWins = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--json", "--system-id", "other");

        CliAssert.ExitCode(0, fromFile);
        Assert.Equal((1, 0, 0), Counts(fromFile.Json()));
        CliAssert.ExitCode(0, fromEnvironment);
        Assert.Equal((1, 0, 0), Counts(fromEnvironment.Json()));
        CliAssert.ExitCode(0, optionWins);
        Assert.Equal($"{prefix}:other:records", optionWins.Json().GetProperty("path").GetString());
        Assert.DoesNotContain(CliRedisFixture.Password, fromFile.AllOutput + fromEnvironment.AllOutput + optionWins.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_applies_retention_to_the_redis_stream()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await WriteHealthyAsync(prefix);

        CliResult compact = await RunAsync(dir, prefix, "persistence", "compact", "--max-records", "2", "--json");

        CliAssert.ExitCode(0, compact);
        JsonElement report = compact.Json();
        Assert.Equal(5, report.GetProperty("before_records").GetInt64());
        Assert.Equal(2, report.GetProperty("after_records").GetInt64());
        Assert.Equal(2, await redis.Raw.StreamLengthAsync($"{prefix}:local:records"));
    }

    [Fact]
    public async Task Metrics_come_from_the_running_systems_hash_and_reset_is_left_there()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();

        CliResult before = await RunAsync(dir, prefix, "metrics", "persistence", "--json");
        CliResult resetNothing = await RunAsync(dir, prefix, "metrics", "reset", "--json");
        bool hashAfterReset = await redis.Raw.KeyExistsAsync($"{prefix}:local:metrics");

        await using RedisStreamsPersistenceBackend system = await redis.WriterAsync(prefix);
        await system.RecordEventAsync(CliRedisFixture.Event(100));
        await system.RecordEventAsync(CliRedisFixture.Event(200));
        await system.PublishMetricsAsync();
        CliResult live = await RunAsync(dir, prefix, "metrics", "persistence", "--json");
        CliResult table = await RunAsync(dir, prefix, "metrics", "persistence");
        CliResult reset = await RunAsync(dir, prefix, "metrics", "reset", "--json");

        CliAssert.ExitCode(0, before);
        Assert.False(before.Json().GetProperty("live").GetBoolean());
        Assert.Equal(0, before.Json().GetProperty("records_written").GetInt64());
        CliAssert.ExitCode(0, resetNothing);
        Assert.False(resetNothing.Json().GetProperty("reset_requested").GetBoolean());
        Assert.False(hashAfterReset, "a reset with no running system must not create the hash");
        CliAssert.ExitCode(0, live);
        JsonElement metrics = live.Json();
        Assert.True(metrics.GetProperty("live").GetBoolean());
        Assert.Equal(2, metrics.GetProperty("records_written").GetInt64());
        Assert.Equal(Environment.ProcessId, metrics.GetProperty("pid").GetInt32());
        Assert.InRange(metrics.GetProperty("age_seconds").GetDouble(), 0, 60);
        CliAssert.ExitCode(0, table);
        Assert.Contains("records_written", table.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, reset);
        Assert.True(reset.Json().GetProperty("reset_requested").GetBoolean());
        Assert.Equal($"{prefix}:local:metrics", reset.Json().GetProperty("request_path").GetString());
        Assert.True(await redis.Raw.HashExistsAsync($"{prefix}:local:metrics", "reset_requested"));
    }

    [Fact]
    public async Task Recover_warns_when_a_running_system_published_metrics_moments_ago()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using RedisStreamsPersistenceBackend system = await redis.WriterAsync(prefix);
        await system.RecordEventAsync(CliRedisFixture.Event(100));
        await system.PublishMetricsAsync();

        CliResult recover = await RunAsync(dir, prefix, "persistence", "recover");

        CliAssert.ExitCode(0, recover);
        Assert.Contains("a running system", recover.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("persistence", "scan")]
    [InlineData("inspect", "summary")]
    [InlineData("metrics", "persistence")]
    public async Task An_unreachable_redis_exits_74_with_one_sentence_naming_the_redacted_url(string group, string command)
    {
        using var dir = new StoreDirectory();
        int port = UnusedPort();
        string url = $"redis://ops:{CliRedisFixture.Password}@127.0.0.1:{port}/0";

        var clock = Stopwatch.StartNew();
        CliResult result = await PapyraProcess.RunAsync(dir.Root, group, command, "--backend", "redis", "--redis-url", url, "--json");

        CliAssert.ExitCode(74, result);
        CliAssert.OneSentenceError(result, $"Redis at redis://ops:***@127.0.0.1:{port}/0 is unreachable");
        Assert.DoesNotContain(CliRedisFixture.Password, result.AllOutput, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"gave up only after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_wrong_password_exits_74_and_prints_neither_password()
    {
        using var dir = new StoreDirectory();
        const string Wrong = "not-the-r3al-one";
        string url = redis.Url.Replace(Uri.EscapeDataString(CliRedisFixture.Password), Wrong, StringComparison.Ordinal);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "redis", "--redis-url", url, "--verbose");

        CliAssert.ExitCode(74, result);
        Assert.Contains($"redis://:***@127.0.0.1:{redis.Server.Port}/0", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Wrong, result.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(CliRedisFixture.Password, result.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_is_never_printed_in_any_output_even_verbose()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await WriteDamagedAsync(prefix);

        var outputs = new List<CliResult>();
        foreach (string[] command in new[]
        {
            new[] { "persistence", "scan" }, ["persistence", "scan", "--json"], ["persistence", "inspect"], ["inspect", "summary"],
            ["metrics", "persistence"], ["metrics", "reset"], ["doctor", "run", "--verbose"], ["persistence", "recover", "--mode", "ignore"],
        })
        {
            outputs.Add(await RunAsync(dir, prefix, command));
        }

        CliResult inspect = outputs[2];
        CliAssert.ExitCode(0, inspect);
        Assert.Contains("redis://:***@127.0.0.1", inspect.StandardOutput, StringComparison.Ordinal);
        Assert.All(outputs, r => Assert.DoesNotContain(CliRedisFixture.Password, r.AllOutput, StringComparison.Ordinal));
        Assert.Equal([2, 2, 0, 0, 0, 0, 1, 3], outputs.Select(r => r.ExitCode));
    }

    [Fact]
    public async Task Redis_without_a_url_or_with_a_bad_system_id_is_a_usage_error()
    {
        using var dir = new StoreDirectory();

        CliResult noUrl = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "redis");
        CliResult badSystem = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "redis", "--redis-url", redis.Url, "--system-id", "a b");

        CliAssert.ExitCode(64, noUrl);
        CliAssert.OneSentenceError(noUrl, "--redis-url");
        CliAssert.ExitCode(64, badSystem);
        CliAssert.OneSentenceError(badSystem, "'a b'");
        Assert.DoesNotContain(CliRedisFixture.Password, badSystem.AllOutput, StringComparison.Ordinal);
    }

    private static (long Events, long Audits, long DeadLetters) Counts(JsonElement json)
        => (json.GetProperty("events").GetInt64(), json.GetProperty("audits").GetInt64(), json.GetProperty("dead_letters").GetInt64());

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Migrate_keys_moves_a_legacy_store_to_hash_tagged_keys_that_the_key_layout_option_reads()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await WriteHealthyAsync(prefix);

        CliResult migrate = await RunAsync(dir, prefix, "persistence", "migrate-keys", "--json");
        CliResult again = await RunAsync(dir, prefix, "persistence", "migrate-keys");
        CliResult scan = await RunAsync(dir, prefix, "persistence", "scan", "--json", "--redis-key-layout", "hash_tagged");
        CliResult badLayout = await RunAsync(dir, prefix, "persistence", "scan", "--redis-key-layout", "sharded");

        CliAssert.ExitCode(0, migrate);
        Assert.Equal(5, migrate.Json().GetProperty("entries_copied").GetInt64());
        Assert.Equal([$"{prefix}:local:records -> {prefix}:{{local}}:records"], migrate.Json().GetProperty("moved_keys").EnumerateArray().Select(k => k.GetString()));
        CliAssert.ExitCode(0, again);
        Assert.Contains("nothing to migrate", again.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, scan);
        Assert.Equal($"{prefix}:{{local}}:records", scan.Json().GetProperty("path").GetString());
        Assert.Equal(5, scan.Json().GetProperty("records_scanned").GetInt64());
        CliAssert.ExitCode(64, badLayout);
        Assert.False(await redis.Raw.KeyExistsAsync($"{prefix}:local:records"));
    }

    private Task<CliResult> RunAsync(StoreDirectory dir, string prefix, params string[] args)
        => PapyraProcess.RunAsync(dir.Root, [.. args, .. redis.StoreArgs(prefix)]);

    private async Task WriteHealthyAsync(string prefix)
    {
        await using RedisStreamsPersistenceBackend writer = await redis.WriterAsync(prefix);
        await writer.RecordEventAsync(CliRedisFixture.Event(100));
        await writer.RecordEventAsync(CliRedisFixture.Event(200, actor: 2));
        await writer.RecordEventAsync(CliRedisFixture.Event(300));
        await writer.RecordAuditAsync(CliRedisFixture.Audit(400));
        await writer.RecordDeadLetterAsync(CliRedisFixture.DeadLetter(500));
    }

    /// <summary>Two valid events around one entry that is not a record.</summary>
    private async Task WriteDamagedAsync(string prefix)
    {
        await using RedisStreamsPersistenceBackend writer = await redis.WriterAsync(prefix);
        await writer.RecordEventAsync(CliRedisFixture.Event(100));
        await redis.Raw.StreamAddAsync(writer.Keys.Records, "data", "{\"kind\": ");
        await writer.RecordEventAsync(CliRedisFixture.Event(200));
    }
}
