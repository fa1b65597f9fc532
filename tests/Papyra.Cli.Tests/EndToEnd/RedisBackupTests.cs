using System.Text;
using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;
using Papyra.Persistence.Serialization;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary><c>backup create | verify | restore</c> against a real redis-server (issue 16): record for record.</summary>
[Collection(CliRedisCollection.Name)]
public sealed class RedisBackupTests(CliRedisFixture redis)
{
    [Fact]
    public async Task Create_verify_restore_round_trips_a_redis_store_record_for_record()
    {
        using var dir = new StoreDirectory();
        string source = RedisServer.UniquePrefix();
        string target = RedisServer.UniquePrefix();
        await using (RedisStreamsPersistenceBackend writer = await redis.WriterAsync(source))
        {
            for (int i = 0; i < 1_200; i++)
            {
                await writer.RecordEventAsync(CliRedisFixture.Event(1_000 + i, actor: i % 5 + 1));
            }

            await writer.RecordAuditAsync(CliRedisFixture.Audit(5_000));
            await writer.RecordDeadLetterAsync(CliRedisFixture.DeadLetter(6_000));
        }

        string archive = dir.PathOf("redis.tar.gz");
        CliResult created = await PapyraProcess.RunAsync(dir.Root, ["backup", "create", .. redis.StoreArgs(source), "--out", archive, "--json"]);
        CliResult verified = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive, "--json");
        CliResult restored = await PapyraProcess.RunAsync(dir.Root, ["backup", "restore", archive, .. redis.StoreArgs(target), "--json"]);
        CliResult refused = await PapyraProcess.RunAsync(dir.Root, ["backup", "restore", archive, .. redis.StoreArgs(target)]);
        CliResult forced = await PapyraProcess.RunAsync(dir.Root, ["backup", "restore", archive, .. redis.StoreArgs(target), "--force"]);
        CliResult toFile = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", dir.PathOf("from-redis.ndjson"));

        CliAssert.ExitCode(0, created);
        Assert.DoesNotContain(CliRedisFixture.Password, created.AllOutput, StringComparison.Ordinal);
        JsonElement manifest = created.Json();
        Assert.Equal("redis", manifest.GetProperty("backend").GetString());
        Assert.Equal("local", manifest.GetProperty("system_id").GetString());
        Assert.Equal(1_202, manifest.GetProperty("records").GetProperty("total").GetInt32());
        Assert.Equal("store/records.ndjson", manifest.GetProperty("members")[0].GetProperty("name").GetString());
        CliAssert.ExitCode(0, verified);
        CliAssert.ExitCode(0, restored);
        Assert.Equal(1_202, restored.Json().GetProperty("records").GetInt32());
        CliAssert.ExitCode(64, refused);
        CliAssert.OneSentenceError(refused, "already exists; restore into a new location or pass --force");
        Assert.DoesNotContain(CliRedisFixture.Password, refused.AllOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, forced);
        CliAssert.ExitCode(0, toFile);

        List<string> original = await LinesAsync(source);
        Assert.Equal(1_202, original.Count);
        Assert.Equal(original, await LinesAsync(target));
        Assert.Equal(string.Concat(original.Select(l => l + "\n")), await File.ReadAllTextAsync(dir.PathOf("from-redis.ndjson")));
    }

    [Fact]
    public async Task A_redis_backup_taken_while_a_system_appends_holds_a_prefix_of_the_final_stream()
    {
        using var dir = new StoreDirectory();
        string source = RedisServer.UniquePrefix();
        string target = RedisServer.UniquePrefix();
        string archive = dir.PathOf("online.tar.gz");
        CliResult created;
        long written = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (RedisStreamsPersistenceBackend writer = await redis.WriterAsync(source))
        {
            using var stop = new CancellationTokenSource();
            Task appending = Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    await writer.RecordEventAsync(CliRedisFixture.Event(1_000 + i));
                    if (Interlocked.Increment(ref written) == 1_000)
                    {
                        enough.TrySetResult();
                    }
                }
            });
            await enough.Task.WaitAsync(TimeSpan.FromMinutes(1));
            created = await PapyraProcess.RunAsync(dir.Root, ["backup", "create", .. redis.StoreArgs(source), "--out", archive, "--json"]);
            stop.Cancel();
            await appending;
        }

        CliAssert.ExitCode(0, created);
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, ["backup", "restore", archive, .. redis.StoreArgs(target)]));
        List<string> final = await LinesAsync(source);
        List<string> copy = await LinesAsync(target);
        Assert.Equal(created.Json().GetProperty("records").GetProperty("total").GetInt32(), copy.Count);
        Assert.True(copy.Count >= 1_000 && copy.Count < final.Count, $"{copy.Count} records backed up of {final.Count}");
        Assert.Equal(final.Take(copy.Count), copy);
    }

    [Fact]
    public async Task A_json_archive_restores_into_redis_record_for_record()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        string target = RedisServer.UniquePrefix();
        string archive = dir.PathOf("file.tar.gz");
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive));

        CliResult restored = await PapyraProcess.RunAsync(dir.Root, ["backup", "restore", archive, .. redis.StoreArgs(target)]);

        CliAssert.ExitCode(0, restored);
        CliResult export = await PapyraProcess.RunAsync(dir.Root, ["export", .. redis.StoreArgs(target)]);
        CliResult fromFile = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store);
        Assert.Equal(fromFile.StandardOutput, export.StandardOutput);
    }

    private async Task<List<string>> LinesAsync(string prefix)
    {
        await using RedisStreamsPersistenceBackend reader = await redis.WriterAsync(prefix);
        var lines = new List<string>();
        await foreach (StoredRecord stored in reader.ReadAsync(PersistenceReadRequest.All))
        {
            lines.Add(Encoding.UTF8.GetString(PersistedRecordSerializer.SerializeLine(stored.Record)).TrimEnd('\n'));
        }

        return lines;
    }
}
