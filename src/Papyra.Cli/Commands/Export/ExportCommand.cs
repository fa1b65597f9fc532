using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using Papyra.Cli.Commands.Backup;
using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Export;

/// <summary>
/// <c>papyra export</c>: streams a store's records, oldest first, as NDJSON or CSV to stdout or a file,
/// for data pipelines. Memory stays bounded whatever the store's size; damaged lines are skipped and
/// counted on stderr.
/// </summary>
internal sealed class ExportCommand : AsyncCommand<ExportCommand.Settings>
{
    public const string Description = "Export records, oldest first, as NDJSON (the store's own format) or CSV (columns in docs/backup.md) to stdout or --out, streaming, with the inspect filters plus --until and --kind. Damaged lines are skipped and counted on stderr.";

    private const int FlushBytes = 1 << 16;

    /// <summary>The store, retention, format, destination and filters.</summary>
    public sealed class Settings : RetentionStoreSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("ndjson (one compact JSON record per line) or csv (RFC 4180 quoting, a header row).")]
        [DefaultValue("ndjson")]
        public string Format { get; set; } = "ndjson";

        [CommandOption("--out <FILE>")]
        [Description("Write to this file (as <FILE>.partial.<pid>, renamed when complete) instead of stdout. An existing file is replaced.")]
        public string? Out { get; set; }

        [CommandOption("--kind <KINDS>")]
        [Description("Export only these kinds, comma-separated: event, audit, dead_letter (default: all).")]
        public string? Kind { get; set; }

        [CommandOption("--since <UNIX_SECONDS>")]
        [Description("Keep records whose timestamp is at or after this Unix time in seconds (inclusive).")]
        public string? Since { get; set; }

        [CommandOption("--until <UNIX_SECONDS>")]
        [Description("Keep records whose timestamp is at or before this Unix time in seconds (inclusive).")]
        public string? Until { get; set; }

        [CommandOption("--actor|--target <ADDRESS>")]
        [Description("Keep events and dead letters of this actor address, system:id (audits name no actor and are left out).")]
        public string? Actor { get; set; }

        [CommandOption("--type|--event-type <TYPE>")]
        [Description("Keep events and dead letters whose type matches exactly (event_type or message_type; audits are left out).")]
        public string? Type { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        bool csv = settings.Format.Trim().ToLowerInvariant() switch
        {
            "ndjson" or "jsonl" => false,
            "csv" => true,
            _ => throw new CliUsageException($"Invalid --format value '{settings.Format}': expected ndjson or csv."),
        };
        PersistenceReadRequest request = Request(settings);
        string? target = settings.Out is null ? null : BackupCreateCommand.ArchivePath(settings.Out, "export.ndjson");
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        string? partial = target is null ? null : ArchiveFiles.PartialPathFor(target);
        Stream destination = partial is null ? CliOutput.OpenStandardOutput() : ArchiveFiles.CreatePartial(partial);
        long records;
        try
        {
            records = target is not null
                ? await output.WithProgressAsync("Exporting", ct => WriteAsync(opened.Backend, request, destination, csv, ct), cancellationToken).ConfigureAwait(false)
                : await WriteAsync(opened.Backend, request, destination, csv, cancellationToken).ConfigureAwait(false);
            if (destination is FileStream file && partial is not null && target is not null)
            {
                ArchiveFiles.Commit(file, partial, target, overwrite: true);
            }
        }
        catch
        {
            if (partial is not null)
            {
                await destination.DisposeAsync().ConfigureAwait(false);
                ArchiveFiles.TryDelete(partial);
            }

            throw;
        }
        finally
        {
            await destination.DisposeAsync().ConfigureAwait(false);
        }

        long skipped = request.Statistics!.SkippedRecords;
        if (skipped > 0)
        {
            output.Warn($"{HealthRenderer.Count(skipped, "damaged line was", "damaged lines were")} skipped.");
        }

        if (target is not null && !output.Json)
        {
            HealthRenderer.Success(output, $"Exported {HealthRenderer.Count(records, "record", "records")} to {target}.");
        }

        return PapyraExitCodes.Success;
    }

    private static async Task<long> WriteAsync(IPersistenceBackend backend, PersistenceReadRequest request, Stream destination, bool csv, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        if (csv)
        {
            CsvRecordWriter.WriteHeader(buffer);
        }

        long records = 0;
        await foreach (StoredRecord stored in backend.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (csv)
            {
                CsvRecordWriter.WriteRecord(buffer, stored.Record);
            }
            else
            {
                PersistedRecordSerializer.WriteLine(buffer, stored.Record);
            }

            records++;
            if (buffer.WrittenCount >= FlushBytes)
            {
                await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return records;
    }

    private static PersistenceReadRequest Request(Settings settings)
    {
        ActorAddress? actor = null;
        if (settings.Actor is not null)
        {
            try
            {
                actor = ActorAddress.Parse(settings.Actor);
            }
            catch (FormatException exception)
            {
                throw new CliUsageException($"Invalid --actor value: {exception.Message}", exception);
            }
        }

        List<PersistedRecordKind>? kinds = settings.Kind is null ? null : ParseKinds(settings.Kind);
        if (actor is not null || settings.Type is not null)
        {
            // Audits name no actor and no type: a filter on either keeps events and dead letters only.
            kinds = [.. (kinds ?? [PersistedRecordKind.Event, PersistedRecordKind.Audit, PersistedRecordKind.DeadLetter]).Where(k => k != PersistedRecordKind.Audit)];
            if (kinds.Count == 0)
            {
                throw new CliUsageException("--actor and --type select events and dead letters; with --kind audit nothing could match.");
            }
        }

        return new PersistenceReadRequest
        {
            Kinds = kinds,
            Since = Time("--since", settings.Since),
            Until = Time("--until", settings.Until),
            Actor = actor,
            Type = settings.Type,
            Statistics = new PersistenceReadStatistics(),
        };
    }

    private static List<PersistedRecordKind> ParseKinds(string text)
    {
        var kinds = new List<PersistedRecordKind>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            PersistedRecordKind kind = part.ToLowerInvariant().Replace('-', '_') switch
            {
                "event" or "events" => PersistedRecordKind.Event,
                "audit" or "audits" => PersistedRecordKind.Audit,
                "dead_letter" or "dead_letters" => PersistedRecordKind.DeadLetter, // not a metric: a record kind as typed
                _ => throw new CliUsageException($"Invalid --kind value '{part}': expected event, audit or dead_letter (comma-separated)."),
            };
            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds.Count > 0 ? kinds : throw new CliUsageException($"Invalid --kind value '{text}': expected event, audit or dead_letter (comma-separated).");
    }

    private static double? Time(string option, string? text)
        => text is null
            ? null
            : double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed)
                ? parsed
                : throw new CliUsageException($"Invalid {option} value '{text}': expected Unix time in seconds, e.g. 1700000000 or 1700000000.5.");
}
