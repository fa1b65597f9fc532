using System.Globalization;
using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Reports;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders scans, recoveries and startup checks as tables or JSON.</summary>
internal static class HealthRenderer
{
    public static void Scan(CliOutput output, StoreView store, PersistenceScanReport? report)
    {
        if (output.Json)
        {
            output.WriteJson(ScanReportJson.From(store.Backend, store.Path, report), ReportJson.Context.ScanReportJson);
            return;
        }

        if (report is null)
        {
            Info(output, $"The {store.Backend} backend does not support scanning; nothing to check.");
            return;
        }

        WriteScanSummary(output, store, report);
    }

    public static void Recovery(CliOutput output, StoreView store, PersistenceRecoveryReport report)
    {
        if (output.Json)
        {
            output.WriteJson(RecoverReportJson.From(store.Backend, store.Path, report), ReportJson.Context.RecoverReportJson);
            return;
        }

        if (!report.Scan.HasAnomalies)
        {
            Success(output, $"Nothing to recover: {store.Describe} is healthy.");
            return;
        }

        Failure(output, $"{Count(report.Scan.TotalAnomalies, "anomaly", "anomalies")} found in {store.Describe}:");
        output.Console.Write(AnomalyTable(report.Scan.Anomalies));
        WriteRecoveryActions(output, report);
    }

    public static void StartupCheck(CliOutput output, StoreView store, PersistenceStartupConfig config, PersistenceStartupReport report)
    {
        StartupCheckOutcome outcome = StartupCheckOutcomes.Of(report);
        if (output.Json)
        {
            bool healthy = outcome is StartupCheckOutcome.Healthy or StartupCheckOutcome.Recovered;
            output.WriteJson(
                StartupCheckReportJson.From(store.Backend, store.Path, config, report, StartupCheckOutcomes.ToName(outcome), healthy),
                ReportJson.Context.StartupCheckReportJson);
            return;
        }

        if (report.Scan is null)
        {
            Info(output, $"The {store.Backend} backend does not support scanning; nothing to check.");
            return;
        }

        if (outcome == StartupCheckOutcome.Healthy)
        {
            WriteScanSummary(output, store, report.Scan);
            return;
        }

        Failure(output, $"{Count(report.Scan.TotalAnomalies, "anomaly", "anomalies")} found in {store.Describe}:");
        output.Console.Write(AnomalyTable(report.Scan.Anomalies));
        switch (outcome)
        {
            case StartupCheckOutcome.AnomaliesIgnored:
                Info(output, "Mode is ignore: the anomalies are reported and startup would continue.");
                break;
            case StartupCheckOutcome.AnomaliesFound:
                Failure(output, "Mode is fail_on_anomaly: startup would be refused. Run with --mode recover, or 'papyra persistence recover', to repair.");
                break;
            default:
                if (report.Recovery is null)
                {
                    Failure(output, $"The {store.Backend} backend cannot recover; the anomalies remain.");
                }
                else
                {
                    WriteRecoveryActions(output, report.Recovery);
                }

                break;
        }
    }

    private static void WriteScanSummary(CliOutput output, StoreView store, PersistenceScanReport report)
    {
        if (!report.HasAnomalies)
        {
            Success(output, $"Persistence is healthy: {store.Describe}, {Count(report.RecordsScanned, "record", "records")} in {Count(report.BytesScanned, "byte", "bytes")}.");
            return;
        }

        Failure(output, $"{Count(report.TotalAnomalies, "anomaly", "anomalies")} found in {store.Describe}:");
        output.Console.Write(AnomalyTable(report.Anomalies));
        if (report.TotalAnomalies > report.Anomalies.Count)
        {
            Info(output, $"Only the first {report.Anomalies.Count} are listed.");
        }
    }

    private static void WriteRecoveryActions(CliOutput output, PersistenceRecoveryReport report)
    {
        Info(output, $"Recovery mode: {PersistenceOptionNames.ToName(report.Mode)}.");
        foreach (string file in report.RepairedFiles)
        {
            Info(output, $"Repaired {file}");
        }

        foreach (string file in report.RejectedFiles)
        {
            Info(output, $"Rejected lines kept in {file}");
        }

        foreach (string file in report.QuarantinedFiles)
        {
            Info(output, $"Quarantined to {file}");
        }

        if (report.IsClean)
        {
            Success(output, "Recovered: the verification scan is clean.");
        }
        else
        {
            Failure(output, $"The verification scan still finds {Count(report.Verification.TotalAnomalies, "anomaly", "anomalies")}:");
            output.Console.Write(AnomalyTable(report.Verification.Anomalies));
        }
    }

    private static Table AnomalyTable(IReadOnlyList<PersistenceAnomaly> anomalies)
    {
        bool severalFiles = anomalies.Select(a => a.Path).Distinct(StringComparer.Ordinal).Skip(1).Any();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Type");
        if (severalFiles)
        {
            table.AddColumn("File");
        }

        table.AddColumn(new TableColumn("Line").RightAligned());
        table.AddColumn(new TableColumn("Offset").RightAligned());
        table.AddColumn("Detail");
        foreach (PersistenceAnomaly anomaly in anomalies)
        {
            var cells = new List<string> { anomaly.Type.ToString() };
            if (severalFiles)
            {
                cells.Add(anomaly.Path);
            }

            cells.Add(anomaly.Line?.ToString(CultureInfo.InvariantCulture) ?? "-");
            cells.Add(anomaly.Offset?.ToString(CultureInfo.InvariantCulture) ?? "-");
            cells.Add(anomaly.Detail ?? string.Empty);
            table.AddRow(cells.Select(c => new Text(TerminalText.Safe(c))));
        }

        return table;
    }

    public static void Success(CliOutput output, string text) => output.Console.MarkupLine($"[green]✔[/] {Markup.Escape(TerminalText.Safe(text))}");

    public static void Failure(CliOutput output, string text) => output.Console.MarkupLine($"[red]✖[/] {Markup.Escape(TerminalText.Safe(text))}");

    public static void Warning(CliOutput output, string text) => output.Console.MarkupLine($"[yellow]![/] {Markup.Escape(TerminalText.Safe(text))}");

    public static void Info(CliOutput output, string text) => output.Console.MarkupLine($"[blue]ℹ[/] {Markup.Escape(TerminalText.Safe(text))}");

    public static string Count(long count, string one, string many)
        => $"{count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? one : many)}";
}
