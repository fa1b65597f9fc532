using System.Globalization;
using System.Text.Json;
using Papyra.Cli.Commands.Persistence;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders a retention audit.</summary>
internal static class AuditRenderer
{
    public static void Audit(CliOutput output, StoreView store, RetentionAudit.Report report)
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                JsonFields.WriteStore(w, store);
                w.WriteBoolean("compliant", report.Compliant);
                JsonFields.WriteRetention(w, report.Policy);
                w.WriteNumber("audited_at", report.Now);
                w.WritePropertyName("records");
                WriteTally(w, report.All);
                w.WriteNumber("skipped", report.Skipped);
                w.WriteStartArray("rules");
                foreach (RetentionAudit.Rule rule in report.Rules)
                {
                    w.WriteStartObject();
                    w.WriteString("rule", rule.Name);
                    w.WriteNumber("limit", rule.Limit);
                    w.WriteBoolean("violated", rule.Violated);
                    w.WritePropertyName("beyond");
                    WriteTally(w, rule.Beyond);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }

        if (report.Policy.IsUnlimited)
        {
            HealthRenderer.Info(output, "No retention policy is set (--max-records, --max-age-seconds, --max-total-bytes or the config's retention keys): nothing can be violated.");
        }
        else if (report.Compliant)
        {
            HealthRenderer.Success(output, $"{store.Describe} complies with its retention policy ({StoreRenderer.Describe(report.Policy)}).");
        }
        else
        {
            HealthRenderer.Failure(output, $"{store.Describe} violates its retention policy ({StoreRenderer.Describe(report.Policy)}).");
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("Limit").RightAligned())
            .AddColumn(new TableColumn("Records").RightAligned()).AddColumn(new TableColumn("Bytes").RightAligned())
            .AddColumn(new TableColumn("Events").RightAligned()).AddColumn(new TableColumn("Audits").RightAligned())
            .AddColumn(new TableColumn("Dead letters").RightAligned()).AddColumn("By system");
        AddRow(table, "Store", "-", report.All);
        foreach (RetentionAudit.Rule rule in report.Rules)
        {
            AddRow(table, $"Beyond {rule.Name}", rule.Limit.ToString("N0", CultureInfo.InvariantCulture), rule.Beyond);
        }

        output.Console.Write(table);
        if (report.Skipped > 0)
        {
            HealthRenderer.Warning(output, $"{HealthRenderer.Count(report.Skipped, "damaged line", "damaged lines")} skipped (run persistence scan).");
        }
    }

    private static void AddRow(Table table, string name, string limit, RetentionAudit.Tally tally)
        => table.AddRow(
            new Text(name),
            new Text(limit),
            new Text(N(tally.Records)),
            new Text(N(tally.Bytes)),
            new Text(N(tally.Events)),
            new Text(N(tally.Audits)),
            new Text(N(tally.DeadLetters)),
            new Text(TerminalText.Safe(string.Join(", ", tally.BySystem.Take(5).Select(s => $"{s.Key}={N(s.Value)}")) + (tally.BySystem.Count > 5 ? ", …" : string.Empty))));

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static void WriteTally(Utf8JsonWriter w, RetentionAudit.Tally tally)
    {
        w.WriteStartObject();
        w.WriteNumber("total", tally.Records);
        w.WriteNumber("bytes", tally.Bytes);
        w.WriteNumber("events", tally.Events);
        w.WriteNumber("audits", tally.Audits);
        w.WriteNumber("dead_letters", tally.DeadLetters); // not a metric: the dead-letter records counted by kind
        WriteTime(w, "oldest_timestamp", tally.Oldest);
        WriteTime(w, "newest_timestamp", tally.Newest);
        w.WriteStartObject("by_system");
        foreach ((string system, long count) in tally.BySystem)
        {
            w.WriteNumber(system, count);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
