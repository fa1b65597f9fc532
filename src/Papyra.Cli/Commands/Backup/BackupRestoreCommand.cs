using System.ComponentModel;
using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Json;
using Papyra.Persistence.Memory;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Rotating;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// <c>papyra backup restore</c>: writes an archive's store to a new location (a JSON-lines file byte
/// for byte, a rotating set file for file, or a Redis stream record for record). Every checksum is
/// checked before anything is written; an existing store is replaced only with <c>--force</c>.
/// </summary>
internal sealed class BackupRestoreCommand : AsyncCommand<BackupRestoreCommand.Settings>
{
    public const string Description = "Restore an archive into a store (--path for a JSON-lines file, byte for byte; --backend rotating --path for a set; --backend redis for a stream, record for record). Every SHA-256 is checked first; exits 2 without writing anything when the archive is damaged. An existing store is refused unless --force.";

    /// <summary>The archive and the target store.</summary>
    public sealed class Settings : StoreSettings
    {
        [CommandArgument(0, "<ARCHIVE>")]
        [Description("The archive written by backup create.")]
        public string Archive { get; set; } = string.Empty;

        [CommandOption("--force")]
        [Description("Replace the target store when it already exists (its files, or its Redis record stream).")]
        public bool Force { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string archive = BackupVerifyCommand.ArchivePath(settings.Archive);
        ResolvedStore store = settings.ResolveStore();
        store = store with { Settings = store.Settings with { Retention = RetentionPolicy.Unlimited } };
        CliOutput output = CliOutput.For(settings);
        if (store.Backend == InMemoryPersistenceBackend.BackendName)
        {
            throw new CliUsageException("The memory backend lives inside one process: the CLI cannot restore into it; choose a json, rotating or redis store.");
        }

        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        string stagingParent = store.Settings.Path is { } path ? Path.GetDirectoryName(path)! : Path.GetTempPath();
        bool exists = opened.Backend is RedisStreamsPersistenceBackend redisTarget
            ? await redisTarget.Connection.GetDatabase().KeyExistsAsync(redisTarget.Keys.Records).ConfigureAwait(false)
            : TargetFiles(store).Count > 0;
        if (exists && !settings.Force)
        {
            throw new CliUsageException($"The store {opened.View.Describe} already exists; restore into a new location or pass --force to replace it.");
        }

        Directory.CreateDirectory(stagingParent);
        ArchiveFiles.DeleteStaleRestores(stagingParent);
        string staging = ArchiveFiles.RestoreStagingFor(stagingParent);
        Directory.CreateDirectory(staging);
        try
        {
            ArchiveExtraction extraction = await output
                .WithByteProgressAsync("Reading the archive", File.Exists(archive) ? new FileInfo(archive).Length : 0, (progress, ct) => Task.Run(() => ArchiveExtraction.Extract(archive, staging, checkLines: false, progress, ct), ct), cancellationToken)
                .ConfigureAwait(false);
            if (extraction.Anomalies.Count > 0 || extraction.Manifest is null)
            {
                BackupRenderer.Verified(output, new BackupVerification(archive, extraction.Manifest, [.. extraction.Members.Select(m => m.Member)], extraction.Anomalies, 0));
                if (!output.Json)
                {
                    HealthRenderer.Failure(output, "Nothing was restored: the archive is damaged.");
                }

                return PapyraExitCodes.AnomaliesFound;
            }

            RestoreResult result = opened.Backend is RedisStreamsPersistenceBackend redis
                ? await output.WithProgressAsync("Restoring", ct => RestoreRedisAsync(archive, opened.View, redis, extraction, exists, ct), cancellationToken).ConfigureAwait(false)
                : RestoreFiles(archive, opened.View, store, extraction, exists);
            BackupRenderer.Restored(output, result);
            return PapyraExitCodes.Success;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The files of the target store that exist now.</summary>
    private static List<string> TargetFiles(ResolvedStore store)
    {
        string path = store.Settings.Path ?? throw new CliUsageException("No store path given: pass --path <FILE> for the restored store.");
        if (Directory.Exists(path))
        {
            throw new IOException($"The store path '{path}' is a directory, not a file.");
        }

        return store.Backend == RotatingFilePersistenceBackend.BackendName ? StoreSnapshot.SetFiles(path) : File.Exists(path) ? [path] : [];
    }

    private static RestoreResult RestoreFiles(string archive, StoreView view, ResolvedStore store, ArchiveExtraction extraction, bool replaced)
    {
        string path = store.Settings.Path!;
        List<string> before = TargetFiles(store);
        var moves = new List<(string From, string To)>();
        bool keepSet = store.Backend == RotatingFilePersistenceBackend.BackendName && extraction.Manifest!.Backend == "rotating" && extraction.Members.Count > 0;
        if (keepSet)
        {
            // The set's files keep their suffixes: <base>.N becomes <path>.N.
            List<string> names = [.. extraction.Members.Select(m => Path.GetFileName(m.File))];
            string oldBase = SetBaseName(extraction.Manifest!.Source, names);
            for (int i = 0; i < names.Count; i++)
            {
                moves.Add((extraction.Members[i].File, path + names[i][oldBase.Length..]));
            }
        }
        else if (extraction.Members.Count == 1)
        {
            moves.Add((extraction.Members[0].File, path));
        }
        else if (extraction.Members.Count > 1)
        {
            // A rotating set restored as one JSON-lines file: its files concatenated, oldest first.
            string joined = Path.Combine(Path.GetDirectoryName(extraction.Members[0].File)!, ".joined");
            using (var output = new FileStream(joined, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                foreach ((VerifiedMember _, string file) in extraction.Members)
                {
                    using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
                    input.CopyTo(output);
                }

                output.Flush(flushToDisk: true);
            }

            moves.Add((joined, path));
        }

        foreach ((string from, string _) in moves)
        {
            using var file = new FileStream(from, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            file.Flush(flushToDisk: true);
        }

        // Files of the old store the archive does not replace are removed (the oldest rotated files first).
        foreach (string stale in before.Where(f => !moves.Any(m => m.To == f)))
        {
            File.Delete(stale);
        }

        // Oldest first, the active file last, each an atomic rename within the directory.
        foreach ((string from, string to) in moves)
        {
            File.Move(from, to, overwrite: true);
        }

        ArchiveFiles.FsyncDirectory(Path.GetDirectoryName(path)!);
        return new RestoreResult(archive, view, replaced, extraction.Manifest!.Records, [.. moves.Select(m => m.To)]);
    }

    /// <summary>
    /// The name the archived set's files share (<c>&lt;base&gt;</c>, <c>&lt;base&gt;.N</c>): the source
    /// store's file name when every member fits it, else the one member without a <c>.N</c> suffix, else
    /// the name the suffixes follow. An archive taken between a rotation and the next write holds no
    /// active file, so its last member is not the base.
    /// </summary>
    /// <param name="source">The manifest's source path, when it has one.</param>
    /// <param name="names">The members' file names, oldest first.</param>
    /// <returns>The base name.</returns>
    /// <exception cref="CliUsageException">The names are not the files of one set.</exception>
    internal static string SetBaseName(string? source, IReadOnlyList<string> names)
    {
        string? fromSource = source is null ? null : Path.GetFileName(source);
        if (!string.IsNullOrEmpty(fromSource) && names.All(n => IsSetFile(n, fromSource)))
        {
            return fromSource;
        }

        string[] unsuffixed = [.. names.Where(n => WithoutRotationIndex(n) is null).Distinct(StringComparer.Ordinal)];
        string? candidate = unsuffixed.Length switch
        {
            0 => WithoutRotationIndex(names[0]),
            1 => unsuffixed[0],
            _ => null,
        };
        return candidate is not null && names.All(n => IsSetFile(n, candidate))
            ? candidate
            : throw new CliUsageException($"The archive's store files ({string.Join(", ", names)}) are not the files of one rotating set; restore it without --backend rotating to get them as one JSON-lines file.");

        static bool IsSetFile(string name, string setBase) => name == setBase || StoreSnapshot.RotationIndex(name, setBase) > 0;

        static string? WithoutRotationIndex(string name)
        {
            int dot = name.LastIndexOf('.');
            return dot > 0 && StoreSnapshot.RotationIndex(name, name[..dot]) > 0 ? name[..dot] : null;
        }
    }

    private static async Task<RestoreResult> RestoreRedisAsync(string archive, StoreView view, RedisStreamsPersistenceBackend redis, ArchiveExtraction extraction, bool replaced, CancellationToken cancellationToken)
    {
        if (replaced)
        {
            await redis.Connection.GetDatabase().KeyDeleteAsync(redis.Keys.Records).ConfigureAwait(false);
        }

        long records = 0;
        var pending = new List<Task>(512);
        foreach ((VerifiedMember _, string file) in extraction.Members)
        {
            await using var source = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = file, PublishMetrics = false });
            await foreach (StoredRecord stored in source.StreamAsync(PersistenceReadRequest.All, cancellationToken).ConfigureAwait(false))
            {
                pending.Add(stored.Record switch
                {
                    PersistedEvent e => redis.RecordEventAsync(e, cancellationToken).AsTask(),
                    PersistedAudit a => redis.RecordAuditAsync(a, cancellationToken).AsTask(),
                    PersistedDeadLetter d => redis.RecordDeadLetterAsync(d, cancellationToken).AsTask(),
                    _ => Task.CompletedTask,
                });
                records++;
                if (pending.Count == 512)
                {
                    await Task.WhenAll(pending).ConfigureAwait(false);
                    pending.Clear();
                }
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        long written = await redis.Connection.GetDatabase().StreamLengthAsync(redis.Keys.Records).ConfigureAwait(false);
        if (written != records)
        {
            throw new IOException($"Redis holds {written} records in {redis.Keys.Records} after the restore wrote {records}; check the server's logs and run the restore again with --force.");
        }

        return new RestoreResult(archive, view, replaced, records, [redis.Keys.Records]);
    }
}
