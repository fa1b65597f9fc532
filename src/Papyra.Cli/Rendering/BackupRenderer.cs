using System.Globalization;
using System.Text.Json;
using Papyra.Cli.Commands.Backup;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders backup archives: the manifest of a new archive, a verification, a restore.</summary>
internal static class BackupRenderer
{
    public static void Created(CliOutput output, string archive, BackupManifest manifest)
    {
        if (output.Json)
        {
            output.WriteJson(manifest.Write);
            return;
        }

        HealthRenderer.Success(output, $"Backed up {manifest.Source ?? manifest.Backend} to {archive}.");
        output.Console.Write(ManifestGrid(manifest));
    }

    public static void Verified(CliOutput output, BackupVerification verification)
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("archive", verification.Archive);
                w.WriteBoolean("healthy", verification.Healthy);
                w.WriteNumber("records_scanned", verification.RecordsScanned);
                w.WriteNumber("total_anomalies", verification.TotalAnomalies);
                WriteAnomalies(w, verification.Anomalies);
                w.WriteStartArray("members");
                foreach (VerifiedMember member in verification.Members)
                {
                    w.WriteStartObject();
                    w.WriteString("name", member.Name);
                    w.WriteNumber("bytes", member.Bytes);
                    w.WriteString("sha256", member.Sha256);
                    JsonFields.WriteNullableString(w, "expected_sha256", member.ExpectedSha256);
                    w.WriteBoolean("ok", member.Ok);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WritePropertyName("manifest");
                if (verification.Manifest is { } manifest)
                {
                    manifest.Write(w);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteEndObject();
            });
            return;
        }

        if (verification.Healthy)
        {
            HealthRenderer.Success(output, $"{verification.Archive} is intact: SHA-256 of {HealthRenderer.Count(verification.Members.Count, "member", "members")} as in the manifest, {HealthRenderer.Count(verification.RecordsScanned, "record", "records")} scanned clean.");
        }
        else
        {
            HealthRenderer.Failure(output, $"{verification.Archive} is damaged: {HealthRenderer.Count(verification.TotalAnomalies, "anomaly", "anomalies")}{(verification.TotalAnomalies > verification.Anomalies.Count ? $" (the first {verification.Anomalies.Count} shown)" : string.Empty)}.");
            output.Console.Write(AnomalyTable(verification.Anomalies));
        }

        if (verification.Manifest is { } m)
        {
            output.Console.Write(ManifestGrid(m));
        }
    }

    public static void Restored(CliOutput output, RestoreResult result)
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("archive", result.Archive);
                JsonFields.WriteStore(w, result.Target);
                w.WriteBoolean("replaced", result.Replaced);
                w.WriteNumber("records", result.Records);
                JsonFields.WriteStrings(w, "files", result.Files);
                w.WriteEndObject();
            });
            return;
        }

        HealthRenderer.Success(output, $"Restored {result.Archive} into {result.Target.Describe}: {HealthRenderer.Count(result.Records, "record", "records")}{(result.Replaced ? ", replacing the store that was there" : string.Empty)}.");
        foreach (string file in result.Files)
        {
            HealthRenderer.Info(output, $"Wrote {file}");
        }
    }

    /// <summary>Anomalies of an archive: <c>{type, member, line, offset, detail}</c>.</summary>
    public static void WriteAnomalies(Utf8JsonWriter w, IReadOnlyList<ArchiveAnomaly> anomalies)
    {
        w.WriteStartArray("anomalies");
        foreach (ArchiveAnomaly anomaly in anomalies)
        {
            w.WriteStartObject();
            w.WriteString("type", anomaly.Type);
            JsonFields.WriteNullableString(w, "member", anomaly.Member);
            JsonFields.WriteNullableNumber(w, "line", anomaly.Line);
            JsonFields.WriteNullableNumber(w, "offset", anomaly.Offset);
            w.WriteString("detail", anomaly.Detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static Table AnomalyTable(IReadOnlyList<ArchiveAnomaly> anomalies)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Type").AddColumn("Member").AddColumn(new TableColumn("Line").RightAligned()).AddColumn("Detail");
        foreach (ArchiveAnomaly a in anomalies)
        {
            table.AddRow(
                new Text(a.Type),
                new Text(TerminalText.Safe(a.Member ?? "-")),
                new Text(a.Line?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                new Text(TerminalText.Safe(a.Detail)));
        }

        return table;
    }

    private static Grid ManifestGrid(BackupManifest manifest)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("Backend", Markup.Escape(manifest.Backend));
        grid.AddRow("System", Markup.Escape(TerminalText.Safe(manifest.SystemId ?? (manifest.SystemIds.Count == 0 ? "-" : string.Join(", ", manifest.SystemIds)))));
        grid.AddRow("Records", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{manifest.Records:N0} ({manifest.Events:N0} events, {manifest.Audits:N0} audits, {manifest.DeadLetters:N0} dead letters; {manifest.DamagedLines:N0} damaged lines)")));
        grid.AddRow("Timestamps", Markup.Escape(manifest.FirstTimestamp is { } first && manifest.LastTimestamp is { } last
            ? string.Create(CultureInfo.InvariantCulture, $"{first:F3} to {last:F3}")
            : "-"));
        grid.AddRow("Created", Markup.Escape(manifest.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) + $" by {manifest.Tool} {manifest.ToolVersion}"));
        foreach (BackupMember member in manifest.Members)
        {
            grid.AddRow(Markup.Escape(TerminalText.Safe(member.Name)), Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{member.Bytes:N0} bytes, sha256 {member.Sha256}")));
        }

        return grid;
    }
}
