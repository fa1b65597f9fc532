using System.ComponentModel;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Backup;

/// <summary><c>papyra backup verify</c>: checks every checksum of an archive and scans its store like <c>persistence scan</c>.</summary>
internal sealed class BackupVerifyCommand : AsyncCommand<BackupVerifyCommand.Settings>
{
    public const string Description = "Verify an archive: the SHA-256 of every member against manifest.json, then a scan of the store's contents like persistence scan. Exits 0 when intact, 2 when damaged (naming the member and the anomaly).";

    /// <summary>The archive; verifying needs no store.</summary>
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<ARCHIVE>")]
        [Description("The archive written by backup create.")]
        public string Archive { get; set; } = string.Empty;

        [CommandOption("--json")]
        [Description("Print the result as JSON (stable shape) instead of tables.")]
        public bool Json { get; set; }

        [CommandOption("--verbose")]
        [Description("Show the full error detail (stack trace) when something fails.")]
        public bool Verbose { get; set; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string archive = ArchivePath(settings.Archive);
        CliOutput output = CliOutput.For(settings.Json);
        BackupVerification verification = await output
            .WithByteProgressAsync("Verifying", new FileInfo(archive).Exists ? new FileInfo(archive).Length : 0, (progress, ct) => Task.Run(() => Verify(archive, progress, ct), ct), cancellationToken)
            .ConfigureAwait(false);
        BackupRenderer.Verified(output, verification);
        return verification.Healthy ? PapyraExitCodes.Success : PapyraExitCodes.AnomaliesFound;
    }

    internal static string ArchivePath(string text)
        => string.IsNullOrWhiteSpace(text)
            ? throw new CliUsageException("The archive name is empty; give the archive file backup create wrote.")
            : Path.GetFullPath(text);

    /// <summary>
    /// Reads the archive once: checks every member against the manifest and every line of the store's
    /// files as <c>persistence scan</c> does (the same validation, anomaly types and details), without extracting anything.
    /// </summary>
    public static BackupVerification Verify(string archive, Action<long> progress, CancellationToken cancellationToken)
    {
        ArchiveExtraction extraction = ArchiveExtraction.Extract(archive, directory: null, checkLines: true, progress, cancellationToken);
        var anomalies = new List<ArchiveAnomaly>(extraction.Anomalies);
        long scanned = 0;
        long total = extraction.Anomalies.Count;
        foreach ((VerifiedMember member, string _) in extraction.Members)
        {
            LineTally tally = member.Tally!;
            scanned += tally.Records;
            anomalies.AddRange(tally.Anomalies);
            total += tally.Damaged;
            if (extraction.Manifest?.Members.FirstOrDefault(m => m.Name == member.Name) is { } listed && member.Ok && listed.Records != tally.Records)
            {
                anomalies.Add(new ArchiveAnomaly("CountMismatch", member.Name, $"{member.Name} holds {tally.Records} valid records; {BackupManifest.FileName} says {listed.Records}."));
                total++;
            }
        }

        return new BackupVerification(archive, extraction.Manifest, [.. extraction.Members.Select(m => m.Member)], anomalies, scanned) { TotalAnomalies = total };
    }
}
