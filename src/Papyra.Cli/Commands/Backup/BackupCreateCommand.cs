using System.ComponentModel;
using System.IO.Compression;
using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Memory;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Rotating;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Backup;

/// <summary><c>papyra backup create</c>: an online, consistent archive of a store that may be written meanwhile.</summary>
internal sealed class BackupCreateCommand : AsyncCommand<BackupCreateCommand.Settings>
{
    public const string Description = "Back up a store while it is written, without pausing writers, into one .tar.gz archive holding the store's files and manifest.json (counts by kind, first/last timestamps, SHA-256 of every member). The archive appears under its name only when complete.";

    /// <summary>The store, where the archive goes and how hard it is compressed.</summary>
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--out <ARCHIVE>")]
        [Description("The archive to write, e.g. papyra-2026-12-02.tar.gz. Written as <ARCHIVE>.partial.<pid>, then renamed. An existing file is refused unless --force.")]
        public string? Out { get; set; }

        [CommandOption("--force")]
        [Description("Replace an existing archive of that name.")]
        public bool Force { get; set; }

        [CommandOption("--compression <LEVEL>")]
        [Description("gzip effort: fastest (level 1), optimal (level 6, as gzip and tar -czf) or smallest (level 9).")]
        [DefaultValue("optimal")]
        public string Compression { get; set; } = "optimal";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        CompressionLevel level = ParseLevel(settings.Compression);
        string archive = ArchivePath(settings.Out);
        if (File.Exists(archive) && !settings.Force)
        {
            throw new CliUsageException($"The archive '{archive}' already exists; choose another --out or pass --force to replace it.");
        }

        ResolvedStore store = settings.ResolveStore();
        store = store with { Settings = store.Settings with { Retention = RetentionPolicy.Unlimited } };
        CliOutput output = CliOutput.For(settings);
        if (store.Backend == InMemoryPersistenceBackend.BackendName)
        {
            throw new CliUsageException("The memory backend lives inside one process: the CLI has nothing to back up; choose a json, rotating or redis store.");
        }

        ArchiveFiles.DeleteStalePartials(archive);
        string partial = ArchiveFiles.PartialPathFor(archive);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        List<SnapshotMember> members = [];
        long skipped = 0;
        string? systemId = null;
        try
        {
            switch (opened.Backend)
            {
                case RedisStreamsPersistenceBackend redis:
                    systemId = redis.Options.SystemId;
                    (SnapshotMember? member, skipped) = await output
                        .WithProgressAsync("Reading the stream", ct => StoreSnapshot.CaptureRedisAsync(redis, partial + ".records", ct), cancellationToken)
                        .ConfigureAwait(false);
                    if (member is not null)
                    {
                        members.Add(member);
                    }

                    break;
                default:
                    string path = store.Settings.Path ?? throw new CliUsageException("No store path given: pass --path <FILE>.");
                    if (string.Equals(path, archive, StringComparison.Ordinal) || (archive.StartsWith(path + ".", StringComparison.Ordinal) && StoreSnapshot.SetFiles(path).Contains(archive)))
                    {
                        throw new CliUsageException($"The --out value '{archive}' is the store itself; write the archive somewhere else.");
                    }

                    members.AddRange(store.Backend == RotatingFilePersistenceBackend.BackendName ? StoreSnapshot.CaptureRotating(path) : StoreSnapshot.CaptureJson(path));
                    break;
            }

            var header = new BackupArchiveWriter.Header(opened.View.Backend, opened.View.Path is { } location ? SecretRedaction.Redact(location) : null, systemId, DateTimeOffset.UtcNow, skipped);
            long total = members.Sum(m => m.Length);
            BackupManifest manifest;
            FileStream stream = ArchiveFiles.CreatePartial(partial);
            try
            {
                manifest = await output
                    .WithByteProgressAsync("Backing up", total, (progress, ct) => Task.Run(() => BackupArchiveWriter.Write(stream, members, header, level, progress, ct), ct), cancellationToken)
                    .ConfigureAwait(false);
                ArchiveFiles.Commit(stream, partial, archive, overwrite: settings.Force);
            }
            catch
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                ArchiveFiles.TryDelete(partial);
                throw;
            }

            BackupRenderer.Created(output, archive, manifest);
            return PapyraExitCodes.Success;
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    /// <summary>The full path of an <c>--out</c> file: one sentence for a missing or empty value, a directory, or a directory that does not exist.</summary>
    internal static string ArchivePath(string? text, string example = "papyra-backup.tar.gz")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CliUsageException(text is null ? "backup create needs --out <ARCHIVE>, the archive to write." : "The --out value is empty; give a file name.");
        }

        string full = Path.GetFullPath(text);
        if (Directory.Exists(full))
        {
            throw new CliUsageException($"The --out value '{full}' is a directory; give a file name, e.g. {Path.Combine(full, example)}.");
        }

        string directory = Path.GetDirectoryName(full) ?? ".";
        return Directory.Exists(directory)
            ? full
            : throw new IOException($"The directory '{directory}' of --out does not exist; create it first.");
    }

    private static CompressionLevel ParseLevel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fastest" => CompressionLevel.Fastest,
        "optimal" => CompressionLevel.Optimal,
        "smallest" => CompressionLevel.SmallestSize,
        _ => throw new CliUsageException($"Invalid --compression value '{text}': expected one of fastest, optimal, smallest."),
    };
}
