using System.ComponentModel;
using Papyra.Cli.Configuration;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands;

/// <summary>The store options plus the retention limits applied to reads and compaction.</summary>
internal class RetentionStoreSettings : StoreSettings
{
    [CommandOption("--max-records <N>")]
    [Description("Keep at most the N most recent records (config: retention.max_records). Must be greater than 0.")]
    public string? MaxRecords { get; set; }

    [CommandOption("--max-age-seconds <SECONDS>")]
    [Description("Keep records no older than this many seconds (config: retention.max_age_seconds). Must be greater than 0.")]
    public string? MaxAgeSeconds { get; set; }

    [CommandOption("--max-total-bytes <BYTES>")]
    [Description("Keep the most recent records whose stored lines total at most this many bytes (config: retention.max_total_bytes). Must be greater than 0.")]
    public string? MaxTotalBytes { get; set; }

    /// <inheritdoc/>
    public override Dictionary<string, string?> ToOptions()
    {
        Dictionary<string, string?> options = base.ToOptions();
        Add(options, SettingKeys.MaxRecords, MaxRecords);
        Add(options, SettingKeys.MaxAgeSeconds, MaxAgeSeconds);
        Add(options, SettingKeys.MaxTotalBytes, MaxTotalBytes);
        return options;
    }
}
