using System.ComponentModel;
using System.Globalization;
using Papyra.Cli.Errors;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary>The filters every <c>inspect</c> listing takes.</summary>
internal class InspectQuerySettings : RetentionStoreSettings
{
    [CommandOption("--limit <N>")]
    [Description("Keep only the N most recent matching records (N >= 1).")]
    public string? Limit { get; set; }

    [CommandOption("--since <UNIX_SECONDS>")]
    [Description("Keep records whose timestamp is at or after this Unix time in seconds (inclusive).")]
    public string? Since { get; set; }

    [CommandOption("--until <UNIX_SECONDS>")]
    [Description("Keep records whose timestamp is at or before this Unix time in seconds (inclusive).")]
    public string? Until { get; set; }

    [CommandOption("--reverse")]
    [Description("List newest first (default: oldest first); the newest records are found without reading the whole store.")]
    public bool Reverse { get; set; }

    [CommandOption("--follow")]
    [Description("Keep printing records as they are appended, across rotations, until interrupted (like tail -f): first the newest --limit records (default 10), or everything after the --cursor-file position. With --json, one JSON record per line (NDJSON).")]
    public bool Follow { get; set; }

    [CommandOption("--cursor-file <FILE>")]
    [Description("Resume after the position stored in FILE (all records when it is missing or empty), and store the position after each record written, so a restarted reader or log shipper continues where it stopped.")]
    public string? CursorFile { get; set; }

    /// <summary>The --until filter; a bad value is a usage error naming it.</summary>
    public double? UntilSeconds => Until is null
        ? null
        : double.TryParse(Until.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed)
            ? parsed
            : throw new CliUsageException($"Invalid --until value '{Until}': expected Unix time in seconds, e.g. 1700000000 or 1700000000.5.");

    /// <summary>Builds the library query; a bad value is a usage error naming it.</summary>
    public virtual PersistenceQuery ToQuery()
    {
        int? limit = null;
        if (Limit is not null)
        {
            limit = int.TryParse(Limit.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parsed) && parsed >= 1
                ? parsed
                : throw new CliUsageException($"Invalid --limit value '{Limit}': it must be a whole number, 1 or greater.");
        }

        double? since = null;
        if (Since is not null)
        {
            since = double.TryParse(Since.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed)
                ? parsed
                : throw new CliUsageException($"Invalid --since value '{Since}': expected Unix time in seconds, e.g. 1700000000 or 1700000000.5.");
        }

        return new PersistenceQuery { Limit = limit, Since = since };
    }
}
