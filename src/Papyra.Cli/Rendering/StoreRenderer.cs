using System.Globalization;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Reports;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders store descriptions, counts and compaction results.</summary>
internal static class StoreRenderer
{
    public static void Compaction(CliOutput output, StoreView store, RetentionPolicy retention, CompactionReport report)
    {
        if (output.Json)
        {
            output.WriteJson(CompactionReportJson.From(store.Backend, store.Path, retention, report), ReportJson.Context.CompactionReportJson);
            return;
        }

        HealthRenderer.Success(output, $"Compacted {store.Describe}.");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("Before").RightAligned()).AddColumn(new TableColumn("After").RightAligned());
        table.AddRow("Records", Number(report.BeforeRecords), Number(report.AfterRecords));
        table.AddRow("Bytes", Number(report.BeforeBytes), Number(report.AfterBytes));
        output.Console.Write(table);
        if (report.RejectedLines > 0)
        {
            // Damaged lines are not records: they leave the store, so say where they went (SPEC §7.1: nothing disappears silently).
            HealthRenderer.Warning(output, $"Moved {HealthRenderer.Count(report.RejectedLines, "damaged line", "damaged lines")} out of the store into {HealthRenderer.Count(report.RejectedFiles.Count, "sidecar file", "sidecar files")}:");
            foreach (string file in report.RejectedFiles)
            {
                HealthRenderer.Info(output, $"Rejected lines kept in {file}");
            }
        }

        HealthRenderer.Info(output, $"Retention: {Describe(retention)}.");
    }

    public static void Inspect(CliOutput output, StoreView store, RetentionPolicy retention, PersistenceBackendCapabilities capabilities, StoreCounts counts)
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                JsonFields.WriteStore(w, store);
                WriteCounts(w, counts);
                JsonFields.WriteRetention(w, retention);
                w.WriteStartObject("capabilities");
                w.WriteBoolean("scan", capabilities.SupportsScan);
                w.WriteBoolean("recover", capabilities.SupportsRecover);
                w.WriteBoolean("compact", capabilities.SupportsCompact);
                w.WriteBoolean("metrics", capabilities.SupportsMetrics);
                w.WriteEndObject();
                w.WriteEndObject();
            });
            return;
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("Backend", Markup.Escape(store.Backend));
        grid.AddRow("Path", Markup.Escape(TerminalText.Safe(store.Path ?? "-")));
        if (store.Server is { } server)
        {
            grid.AddRow("Server", Markup.Escape(TerminalText.Safe(SecretRedaction.Redact(server) ?? server)));
        }

        grid.AddRow("Retention", Markup.Escape(Describe(retention)));
        grid.AddRow("Capabilities", Markup.Escape(DescribeCapabilities(capabilities)));
        grid.AddRow("Events", Number(counts.Events));
        grid.AddRow("Audits", Number(counts.Audits));
        grid.AddRow("Dead letters", Number(counts.DeadLetters));
        grid.AddRow("Damaged lines skipped", Number(counts.Skipped));
        output.Console.Write(new Panel(grid).Header("Persistence").Border(BoxBorder.Rounded));
    }

    public static void Summary(CliOutput output, StoreView store, StoreCounts counts)
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                JsonFields.WriteStore(w, store);
                WriteCounts(w, counts);
                w.WritePropertyName("latest_audit");
                if (counts.LatestAudit is { } audit)
                {
                    RecordRenderer.WriteRecord(w, audit);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteEndObject();
            });
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Records").AddColumn(new TableColumn("Count").RightAligned());
        table.AddRow("Events", Number(counts.Events));
        table.AddRow("Audits", Number(counts.Audits));
        table.AddRow("Dead letters", Number(counts.DeadLetters));
        output.Console.Write(table);
        if (counts.LatestAudit is { } latest)
        {
            HealthRenderer.Info(output, string.Create(
                CultureInfo.InvariantCulture,
                $"Latest audit at {latest.Timestamp:F3}: actors total={latest.TotalActors} alive={latest.AliveActors} stopping={latest.StoppingActors} restarting={latest.RestartingActors}, dead letters {latest.DeadLettersCount}."));
        }
        else
        {
            HealthRenderer.Info(output, "No audit recorded yet.");
        }

        if (counts.Skipped > 0)
        {
            HealthRenderer.Info(output, $"{HealthRenderer.Count(counts.Skipped, "damaged line", "damaged lines")} skipped.");
        }
    }

    private static void WriteCounts(Utf8JsonWriter writer, StoreCounts counts)
    {
        writer.WriteNumber("events", counts.Events);
        writer.WriteNumber("audits", counts.Audits);
        writer.WriteNumber("dead_letters", counts.DeadLetters); // not a metric: the record count SPEC §7.1 names
        writer.WriteNumber("skipped", counts.Skipped);
    }

    public static string Describe(RetentionPolicy retention) => retention.IsUnlimited
        ? "unlimited"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"max_records={Text(retention.MaxRecords)} max_age_seconds={(retention.MaxAgeSeconds is { } a ? a.ToString(CultureInfo.InvariantCulture) : "none")} max_total_bytes={Text(retention.MaxTotalBytes)}");

    private static string DescribeCapabilities(PersistenceBackendCapabilities capabilities)
    {
        List<string> names = [];
        if (capabilities.SupportsScan)
        {
            names.Add("scan");
        }

        if (capabilities.SupportsRecover)
        {
            names.Add("recover");
        }

        if (capabilities.SupportsCompact)
        {
            names.Add("compact");
        }

        if (capabilities.SupportsMetrics)
        {
            names.Add("metrics");
        }

        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
}
