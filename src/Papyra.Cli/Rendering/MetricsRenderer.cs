using System.Globalization;
using Papyra.Persistence;
using Papyra.Persistence.Metrics;
using Spectre.Console;

namespace Papyra.Cli.Rendering;

/// <summary>Renders live persistence metrics and reset requests.</summary>
internal static class MetricsRenderer
{
    public static void Metrics(CliOutput output, StoreView store, PersistenceLiveMetrics? live)
    {
        PersistenceMetricsSnapshot snapshot = live?.Snapshot ?? PersistenceMetricsSnapshot.Zero;
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                JsonFields.WriteStore(w, store);
                WriteLive(w, live);
                foreach (KeyValuePair<string, long> counter in snapshot.ToDictionary())
                {
                    w.WriteNumber(counter.Key, counter.Value);
                }

                w.WriteEndObject();
            });
            return;
        }

        var table = new Table().Title("Persistence Metrics").Border(TableBorder.Rounded).AddColumn("Key").AddColumn(new TableColumn("Value").RightAligned());
        foreach (KeyValuePair<string, long> counter in snapshot.ToDictionary())
        {
            table.AddRow(new Text(counter.Key), new Text(counter.Value.ToString(CultureInfo.InvariantCulture)));
        }

        output.Console.Write(table);
        HealthRenderer.Info(output, Describe(live, store));
    }

    public static void Reset(CliOutput output, StoreView store, PersistenceLiveMetrics? live, string? requestPath)
    {
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                JsonFields.WriteStore(w, store);
                WriteLive(w, live);
                w.WriteBoolean("reset_requested", requestPath is not null);
                JsonFields.WriteNullableString(w, "request_path", requestPath);
                w.WriteEndObject();
            });
            return;
        }

        if (requestPath is null)
        {
            HealthRenderer.Info(output, $"No running system publishes metrics for {store.Describe}; nothing to reset.");
        }
        else
        {
            HealthRenderer.Success(output, $"Reset requested from the running system (pid {live!.ProcessId.ToString(CultureInfo.InvariantCulture)}); its next snapshot starts from zero.");
        }
    }

    private static void WriteLive(System.Text.Json.Utf8JsonWriter w, PersistenceLiveMetrics? live)
    {
        w.WriteBoolean("live", live is { PublisherRunning: true });
        if (live is null)
        {
            w.WriteNull("age_seconds");
            w.WriteNull("published_at");
            w.WriteNull("pid");
        }
        else
        {
            w.WriteNumber("age_seconds", Math.Round(live.Age.TotalSeconds, 3));
            w.WriteNumber("published_at", live.PublishedAt);
            w.WriteNumber("pid", live.ProcessId);
        }
    }

    private static string Describe(PersistenceLiveMetrics? live, StoreView store) => live switch
    {
        null => $"No running system publishes metrics for {store.Describe}: counters are zero (live=false).",
        { PublisherRunning: false } => string.Create(CultureInfo.InvariantCulture, $"Last snapshot of pid {live.ProcessId}, which is no longer running, {live.Age.TotalSeconds:F1} s old (live=false)."),
        _ => string.Create(CultureInfo.InvariantCulture, $"Live snapshot from pid {live.ProcessId}, {live.Age.TotalSeconds:F1} s old."),
    };
}
