using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Papyra.Cli.Commands.Backup;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>
/// <c>backup create | verify | restore</c> on real files, run as the real CLI (issue 16): online
/// consistency under 8 Fsync writers, a flipped byte named by verify, byte-for-byte round trips,
/// refusal to overwrite, and SIGKILL never leaving a partial archive under the final name.
/// </summary>
public sealed class BackupCommandTests
{
    private const string Member = "store/events.ndjson";

    [Fact]
    public async Task A_backup_taken_while_8_writers_append_with_fsync_holds_a_prefix_of_the_final_store_and_verifies_clean()
    {
        using var dir = new StoreDirectory();
        string archive = dir.PathOf("online.tar.gz");
        long written = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CliResult created;
        await using (var writer = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = dir.Store, PublishMetrics = false, Durability = PersistenceDurability.Fsync }))
        {
            using var stop = new CancellationTokenSource();
            Task[] writers = [.. Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    await writer.RecordEventAsync(Event(w, i));
                    if (Interlocked.Increment(ref written) == 2_000)
                    {
                        enough.TrySetResult();
                    }
                }
            }))];
            await enough.Task.WaitAsync(TimeSpan.FromMinutes(1));
            created = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive, "--json");
            long whenBackedUp = Interlocked.Read(ref written);
            stop.Cancel();
            await Task.WhenAll(writers);
            Assert.True(Interlocked.Read(ref written) > 2_000 && whenBackedUp > 2_000, "the writers kept appending during the backup");
        }

        CliAssert.ExitCode(0, created);
        JsonElement manifest = created.Json();
        long archived = manifest.GetProperty("records").GetProperty("events").GetInt64();
        CliResult verified = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive, "--json");
        CliResult restored = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", dir.PathOf("restored/events.ndjson"), "--json");

        CliAssert.ExitCode(0, verified);
        Assert.True(verified.Json().GetProperty("healthy").GetBoolean());
        Assert.Equal(archived, verified.Json().GetProperty("records_scanned").GetInt64());
        CliAssert.ExitCode(0, restored);
        byte[] final = await File.ReadAllBytesAsync(dir.Store);
        byte[] copy = await File.ReadAllBytesAsync(dir.PathOf("restored/events.ndjson"));
        Assert.True(archived >= 2_000, $"the backup holds the records written before it started ({archived})");
        Assert.True(copy.Length < final.Length, "records appended during the backup are not in it");
        Assert.True(final.AsSpan(0, copy.Length).SequenceEqual(copy), "the archived store is a byte-for-byte prefix of the final store");
        Assert.Equal((byte)'\n', copy[^1]);
        Assert.Equal(0, manifest.GetProperty("records").GetProperty("damaged_lines").GetInt64());
        Assert.Equal(archived, copy.Count(b => b == (byte)'\n'));
    }

    [Fact]
    public async Task A_rotating_set_backed_up_while_it_rotates_restores_to_a_prefix_of_the_final_set()
    {
        using var dir = new StoreDirectory();
        string archive = dir.PathOf("rotating.tar.gz");
        string restored = dir.PathOf("restored/events.ndjson");
        long written = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CliResult created;
        var options = new Papyra.Persistence.Rotating.RotatingFilePersistenceOptions { Path = dir.Store, MaxBytes = 64 * 1024, MaxFiles = 1_000, PublishMetrics = false, Durability = PersistenceDurability.Fsync };
        await using (var writer = new Papyra.Persistence.Rotating.RotatingFilePersistenceBackend(options))
        {
            using var stop = new CancellationTokenSource();
            Task[] writers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    await writer.RecordEventAsync(Event(w, i));
                    if (Interlocked.Increment(ref written) == 3_000)
                    {
                        enough.TrySetResult();
                    }
                }
            }))];
            await enough.Task.WaitAsync(TimeSpan.FromMinutes(1));
            created = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--backend", "rotating", "--path", dir.Store, "--out", archive, "--json");
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        CliAssert.ExitCode(0, created);
        Assert.True(created.Json().GetProperty("members").GetArrayLength() > 5, "the set had rotated several times");
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive));
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--backend", "rotating", "--path", restored));
        string[] final = (await PapyraProcess.RunAsync(dir.Root, "export", "--backend", "rotating", "--path", dir.Store)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] copy = (await PapyraProcess.RunAsync(dir.Root, "export", "--backend", "rotating", "--path", restored)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(created.Json().GetProperty("records").GetProperty("total").GetInt64(), copy.Length);
        Assert.True(copy.Length >= 3_000 && copy.Length < final.Length, $"{copy.Length} records backed up of {final.Length}");
        Assert.Equal(final[..copy.Length], copy);
    }

    [Fact]
    public async Task One_flipped_byte_in_the_archive_makes_verify_exit_2_naming_the_member()
    {
        using var dir = new StoreDirectory();
        WriteEvents(dir.Store, 3_000);
        string archive = dir.PathOf("b.tar.gz");
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive));
        byte[] original = await File.ReadAllBytesAsync(archive);

        // Wherever the flip lands in the store's compressed bytes (a wrong literal, a broken deflate
        // block, a stream that ends early), verify fails and names the member.
        foreach (double at in (double[])[0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9])
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[(int)(bytes.Length * at)] ^= 0x01;
            string damaged = dir.PathOf($"flipped-{at.ToString(CultureInfo.InvariantCulture)}.tar.gz");
            await File.WriteAllBytesAsync(damaged, bytes);

            CliResult json = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", damaged, "--json");
            CliResult human = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", damaged);

            CliAssert.ExitCode(2, json);
            JsonElement report = json.Json();
            Assert.False(report.GetProperty("healthy").GetBoolean());
            Assert.Contains(report.GetProperty("anomalies").EnumerateArray(), a => a.GetProperty("member").GetString() == Member
                && a.GetProperty("type").GetString() is "ChecksumMismatch" or "SizeMismatch" or "UnreadableArchive" or "UnverifiedMember");
            CliAssert.ExitCode(2, human);
            CliAssert.NoStackTrace(human);
            Assert.Contains(Member, human.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("is damaged", human.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_verify_restore_round_trips_a_json_store_byte_for_byte_and_the_manifest_describes_it()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        string archive = dir.PathOf("b.tar.gz");
        string target = dir.PathOf("new/events.ndjson");

        CliResult created = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive, "--json");
        CliResult verified = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive);
        CliResult restored = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", target);

        CliAssert.ExitCode(0, created);
        JsonElement manifest = created.Json();
        Assert.Equal("papyra-backup", manifest.GetProperty("format").GetString());
        Assert.Equal(1, manifest.GetProperty("format_version").GetInt32());
        Assert.Equal("json", manifest.GetProperty("backend").GetString());
        Assert.Equal("local", manifest.GetProperty("system_id").GetString());
        Assert.Equal((3, 1, 1), (manifest.GetProperty("records").GetProperty("events").GetInt32(), manifest.GetProperty("records").GetProperty("audits").GetInt32(), manifest.GetProperty("records").GetProperty("dead_letters").GetInt32()));
        Assert.Equal(100, manifest.GetProperty("first_timestamp").GetDouble());
        Assert.Equal(500, manifest.GetProperty("last_timestamp").GetDouble());
        JsonElement member = Assert.Single(manifest.GetProperty("members").EnumerateArray());
        Assert.Equal(Member, member.GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(dir.Store))), member.GetProperty("sha256").GetString());
        CliAssert.ExitCode(0, verified);
        Assert.Contains("is intact", verified.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, restored);
        Assert.Equal(await File.ReadAllBytesAsync(dir.Store), await File.ReadAllBytesAsync(target));
        Assert.DoesNotContain(dir.Files(), f => f.Contains(".partial.", StringComparison.Ordinal) || f.Contains(".papyra-restore", StringComparison.Ordinal));

        // The archive is a standard tar.gz: the system's tar lists and extracts it.
        (int tarExit, string listing) = await Papyra.TestSupport.ChildProcess.RunAsync("tar", dir.Root, TimeSpan.FromMinutes(1), "-tzf", archive);
        Assert.Equal(0, tarExit);
        Assert.Equal([Member, "manifest.json"], listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_rotating_set_round_trips_file_for_file_in_order()
    {
        using var dir = new StoreDirectory();
        dir.WriteLines(dir.Store + ".2", StoreDirectory.Event1);
        dir.WriteLines(dir.Store + ".1", StoreDirectory.Event2, StoreDirectory.Event3);
        dir.WriteLines(dir.Store, StoreDirectory.Audit1, StoreDirectory.DeadLetter1);
        string archive = dir.PathOf("set.tar.gz");
        string target = dir.PathOf("restored/set.ndjson");

        CliResult created = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--backend", "rotating", "--path", dir.Store, "--out", archive, "--json");
        CliResult verified = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive);
        CliResult restored = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--backend", "rotating", "--path", target);
        CliResult flattened = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", dir.PathOf("flat.ndjson"));

        CliAssert.ExitCode(0, created);
        Assert.Equal(["store/events.ndjson.2", "store/events.ndjson.1", Member], created.Json().GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(5, created.Json().GetProperty("records").GetProperty("total").GetInt32());
        CliAssert.ExitCode(0, verified);
        CliAssert.ExitCode(0, restored);
        foreach (string suffix in (string[])[".2", ".1", ""])
        {
            Assert.Equal(await File.ReadAllBytesAsync(dir.Store + suffix), await File.ReadAllBytesAsync(target + suffix));
        }

        CliAssert.ExitCode(0, flattened);
        Assert.Equal(
            string.Concat(new[] { ".2", ".1", "" }.Select(s => File.ReadAllText(dir.Store + s))),
            await File.ReadAllTextAsync(dir.PathOf("flat.ndjson")));
    }

    [Fact]
    public async Task A_set_backed_up_between_a_rotation_and_the_next_write_restores_every_file_under_its_own_name()
    {
        // Right after a rotation the active file does not exist until the next write creates it; a
        // backup taken then holds only rotated files. Restore once took the last of them for the
        // active file and moved every file of the same name length onto it, keeping one file of three.
        using var dir = new StoreDirectory();
        dir.WriteLines(dir.Store + ".3", StoreDirectory.Event1);
        dir.WriteLines(dir.Store + ".2", StoreDirectory.Event2);
        dir.WriteLines(dir.Store + ".1", StoreDirectory.Event3, StoreDirectory.Audit1);
        string archive = dir.PathOf("rotated.tar.gz");
        string target = dir.PathOf("restored/set.ndjson");

        CliResult created = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--backend", "rotating", "--path", dir.Store, "--out", archive, "--json");
        CliResult restored = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--backend", "rotating", "--path", target);

        CliAssert.ExitCode(0, created);
        Assert.Equal(["store/events.ndjson.3", "store/events.ndjson.2", "store/events.ndjson.1"], created.Json().GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        CliAssert.ExitCode(0, restored);
        Assert.Equal(["set.ndjson.1", "set.ndjson.2", "set.ndjson.3"], Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string suffix in (string[])[".3", ".2", ".1"])
        {
            Assert.Equal(await File.ReadAllBytesAsync(dir.Store + suffix), await File.ReadAllBytesAsync(target + suffix));
        }

        string[] copy = (await PapyraProcess.RunAsync(dir.Root, "export", "--backend", "rotating", "--path", target)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, copy.Length);
    }

    [Fact]
    public async Task An_archive_whose_files_are_not_one_set_is_refused_as_a_set_with_exit_64_and_nothing_written()
    {
        // Not something backup create writes: an archive put together by hand, with valid checksums.
        using var dir = new StoreDirectory();
        dir.WriteLines(dir.PathOf("a.ndjson.1"), StoreDirectory.Event1);
        dir.WriteLines(dir.PathOf("b.ndjson"), StoreDirectory.Event2);
        string archive = dir.PathOf("mixed.tar.gz");
        var members = new List<SnapshotMember>();
        foreach (string file in (string[])["a.ndjson.1", "b.ndjson"])
        {
            Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(dir.PathOf(file));
            members.Add(new SnapshotMember(BackupManifest.StoreDirectory + file, handle, RandomAccess.GetLength(handle)));
        }

        await using (var stream = new FileStream(archive, FileMode.CreateNew))
        {
            BackupArchiveWriter.Write(stream, members, new BackupArchiveWriter.Header("rotating", null, null, DateTimeOffset.UtcNow, 0), System.IO.Compression.CompressionLevel.Fastest, _ => { }, CancellationToken.None);
        }

        members.ForEach(m => m.Dispose());
        string target = dir.PathOf("restored/set.ndjson");

        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive));
        CliResult refused = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--backend", "rotating", "--path", target);
        CliResult flattened = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", target);

        CliAssert.ExitCode(64, refused);
        CliAssert.NoStackTrace(refused);
        Assert.Contains("(a.ndjson.1, b.ndjson) are not the files of one rotating set", refused.AllOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, flattened);
        Assert.Equal(["set.ndjson"], Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Restore_refuses_to_overwrite_an_existing_store_unless_forced()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        string archive = dir.PathOf("b.tar.gz");
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive));
        string target = dir.WriteLines(dir.PathOf("other.ndjson"), StoreDirectory.Event1);

        CliResult refused = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", target);
        Assert.Equal(StoreDirectory.Event1 + "\n", await File.ReadAllTextAsync(target));
        CliResult again = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive);
        CliResult forced = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", archive, "--path", target, "--force");

        CliAssert.ExitCode(64, refused);
        CliAssert.OneSentenceError(refused, "already exists; restore into a new location or pass --force");
        CliAssert.ExitCode(64, again);
        CliAssert.OneSentenceError(again, "already exists; choose another --out or pass --force");
        CliAssert.ExitCode(0, forced);
        Assert.Equal(await File.ReadAllBytesAsync(dir.Store), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task A_damaged_archive_restores_nothing_and_bad_input_is_one_sentence()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        string archive = dir.PathOf("b.tar.gz");
        CliAssert.ExitCode(0, await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive));
        byte[] bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(dir.PathOf("cut.tar.gz"), bytes[..(bytes.Length / 2)]);
        await File.WriteAllTextAsync(dir.PathOf("not-an-archive.tar.gz"), "hello");
        string killedRestore = Directory.CreateDirectory(dir.PathOf("r/.papyra-restore.2147483646.0")).FullName; // a dead process's staging

        CliResult cut = await PapyraProcess.RunAsync(dir.Root, "backup", "restore", dir.PathOf("cut.tar.gz"), "--path", dir.PathOf("r/events.ndjson"), "--json");
        CliResult garbage = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", dir.PathOf("not-an-archive.tar.gz"), "--json");
        CliResult missing = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", dir.PathOf("nope.tar.gz"));
        CliResult noOut = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store);
        CliResult overStore = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", dir.Store, "--force");
        CliResult badLevel = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", dir.PathOf("x.tar.gz"), "--compression", "max");

        CliAssert.ExitCode(2, cut);
        Assert.False(cut.Json().GetProperty("healthy").GetBoolean());
        Assert.False(File.Exists(dir.PathOf("r/events.ndjson")));
        Assert.False(Directory.Exists(killedRestore), "a killed restore's staging directory is removed by the next restore");
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.PathOf("r")));
        CliAssert.ExitCode(2, garbage);
        Assert.Equal("UnreadableArchive", garbage.Json().GetProperty("anomalies")[0].GetProperty("type").GetString());
        CliAssert.ExitCode(74, missing);
        CliAssert.OneSentenceError(missing, "nope.tar.gz' does not exist");
        CliAssert.ExitCode(64, noOut);
        CliAssert.OneSentenceError(noOut, "backup create needs --out <ARCHIVE>");
        CliAssert.ExitCode(64, overStore);
        CliAssert.OneSentenceError(overStore, "is the store itself");
        Assert.Equal(StoreDirectory.Event1, (await File.ReadAllLinesAsync(dir.Store))[0]); // the store is untouched
        CliAssert.ExitCode(64, badLevel);
        CliAssert.OneSentenceError(badLevel, "Invalid --compression value 'max'");
    }

    [Fact]
    public async Task Killing_backup_create_with_sigkill_leaves_no_archive_under_the_final_name_and_the_next_run_cleans_up()
    {
        using var dir = new StoreDirectory();
        WriteRandomEvents(dir.Store, 150_000);
        string archive = dir.PathOf("big.tar.gz");
        using var watcher = new FileSystemWatcher(dir.Root, "big.tar.gz.partial.*") { EnableRaisingEvents = true };
        var partialSeen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Created += (_, e) => partialSeen.TrySetResult(e.FullPath);

        using (Process backup = PapyraProcess.Start(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive))
        {
            string partial = await partialSeen.Task.WaitAsync(TimeSpan.FromMinutes(1));
            Assert.False(backup.HasExited, "the backup was still writing when it was killed");
            backup.Kill(entireProcessTree: true); // SIGKILL
            await backup.WaitForExitAsync();
            Assert.False(File.Exists(archive), "no archive under the final name after SIGKILL");
            Assert.True(File.Exists(partial), "the killed run's temp file is under its own name");
        }

        CliResult rerun = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive, "--compression", "fastest");
        CliResult verified = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive, "--json");

        CliAssert.ExitCode(0, rerun);
        CliAssert.ExitCode(0, verified);
        Assert.Equal(150_000, verified.Json().GetProperty("records_scanned").GetInt64());
        Assert.DoesNotContain(dir.Files(), f => f.Contains(".partial.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_damaged_store_is_backed_up_as_it_is_and_verify_reports_its_damaged_lines_like_scan()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, "not json at all", StoreDirectory.Event2);
        string archive = dir.PathOf("b.tar.gz");

        CliResult created = await PapyraProcess.RunAsync(dir.Root, "backup", "create", "--path", dir.Store, "--out", archive, "--json");
        CliResult verified = await PapyraProcess.RunAsync(dir.Root, "backup", "verify", archive, "--json");
        CliResult scan = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, created);
        Assert.Equal(1, created.Json().GetProperty("records").GetProperty("damaged_lines").GetInt64());
        CliAssert.ExitCode(2, verified);
        JsonElement anomaly = Assert.Single(verified.Json().GetProperty("anomalies").EnumerateArray());
        JsonElement scanned = Assert.Single(scan.Json().GetProperty("anomalies").EnumerateArray());
        Assert.Equal(Member, anomaly.GetProperty("member").GetString());
        foreach (string field in (string[])["type", "line", "offset", "detail"])
        {
            Assert.Equal(scanned.GetProperty(field).ToString(), anomaly.GetProperty(field).ToString());
        }
    }

    [Fact]
    public async Task On_a_terminal_backup_and_verify_show_progress_but_json_output_stays_one_clean_document()
    {
        using var dir = new StoreDirectory();
        WriteEvents(dir.Store, 20_000);
        string archive = dir.PathOf("t.tar.gz");

        CliResult human = await ScriptProcess.RunOnTerminalAsync(dir.Root, PapyraProcess.AppHost, "backup", "create", "--path", dir.Store, "--out", archive);
        CliResult json = await ScriptProcess.RunOnTerminalAsync(dir.Root, PapyraProcess.AppHost, "backup", "verify", archive, "--json");

        CliAssert.ExitCode(0, human);
        Assert.Contains("Backed up", human.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, json);
        Assert.DoesNotContain("\u001b[", json.StandardOutput, StringComparison.Ordinal);
        Assert.True(json.Json().GetProperty("healthy").GetBoolean());
    }

    private static PersistedEvent Event(int writer, int seq)
    {
        using JsonDocument payload = JsonDocument.Parse($"{{\"w\":{writer.ToString(CultureInfo.InvariantCulture)},\"i\":{seq.ToString(CultureInfo.InvariantCulture)}}}");
        return new PersistedEvent("local", new ActorAddress("local", writer + 1), "Appended", payload.RootElement.Clone(), 1_700_000_000 + seq);
    }

    private static void WriteEvents(string path, int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{{\"system\":\"local\",\"actor_id\":{i % 7 + 1}}},\"event_type\":\"ActorStarted\",\"payload\":{{\"seq\":{i}}},\"timestamp\":{1_700_000_000 + i}}}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    // Incompressible payloads, so a backup of this store takes long enough to be killed mid-way.
    private static void WriteRandomEvents(string path, int count)
    {
        var random = new Random(16);
        byte[] noise = new byte[256];
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(noise);
            file.Write(string.Create(CultureInfo.InvariantCulture, $"{{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{{\"system\":\"local\",\"actor_id\":1}},\"event_type\":\"Noise\",\"payload\":{{\"hex\":\"{Convert.ToHexString(noise)}\"}},\"timestamp\":{1_700_000_000 + i}}}\n"));
        }
    }
}
