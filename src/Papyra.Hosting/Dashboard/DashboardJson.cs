using System.Text.Json;
using Papyra.Metrics;
using Papyra.Reports;

namespace Papyra.Hosting.Dashboard;

/// <summary>
/// The JSON shape of <c>{prefix}/dashboard/data</c> and of each <c>{prefix}/dashboard/stream</c> event
/// (approved in <c>api/dashboard-data.txt</c>); the same for a hosted system and for <c>papyra dashboard</c>.
/// </summary>
internal static class DashboardJson
{
    /// <summary>The shape's version; raised on an incompatible change.</summary>
    public const int Version = 1;

    public static void Write(Utf8JsonWriter writer, DashboardSnapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", Version);
        writer.WriteString("source", snapshot.Source);
        writer.WriteString("system_id", snapshot.SystemId);
        writer.WriteString("state", snapshot.State);
        writer.WriteBoolean("healthy", snapshot.Healthy);
        writer.WriteNumber("timestamp", Math.Round(snapshot.Timestamp, 3));
        Number(writer, "uptime_seconds", snapshot.UptimeSeconds is { } up ? Math.Round(up, 1) : null);

        if (snapshot.Actors is { } actors)
        {
            writer.WriteStartObject("actors");
            writer.WriteNumber("alive", actors.Alive);
            writer.WriteNumber("restarting", actors.Restarting);
            writer.WriteNumber("stopping", actors.Stopping);
            Number(writer, "stopped", actors.Stopped);
            if (actors.Busiest is { } busiest)
            {
                writer.WriteStartArray("busiest");
                foreach (DashboardActor actor in busiest)
                {
                    writer.WriteStartObject();
                    writer.WriteString("address", actor.Address);
                    Text(writer, "name", actor.Name);
                    writer.WriteString("actor_type", actor.ActorType);
                    writer.WriteNumber(RuntimeMetricNames.MailboxDepth, actor.MailboxDepth);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNull("busiest");
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("actors");
        }

        DashboardRuntime runtime = snapshot.Runtime;
        writer.WriteStartObject("runtime");
        Number(writer, RuntimeMetricNames.MessagesProcessed, runtime.MessagesProcessed);
        Number(writer, "messages_per_second", runtime.MessagesPerSecond is { } mps ? Math.Round(mps, 2) : null);
        Number(writer, RuntimeMetricNames.Restarts, runtime.Restarts);
        Number(writer, RuntimeMetricNames.DeadLetters, runtime.DeadLetters);
        Number(writer, "dead_letters_per_second", runtime.DeadLettersPerSecond is { } dps ? Math.Round(dps, 2) : null);
        Number(writer, RuntimeMetricNames.MailboxDepth, runtime.MailboxDepth);
        writer.WriteEndObject();

        writer.WriteStartArray("recent_dead_letters");
        foreach (DashboardDeadLetter letter in snapshot.RecentDeadLetters)
        {
            writer.WriteStartObject();
            Text(writer, "target", letter.Target);
            writer.WriteString("message_type", letter.MessageType);
            Text(writer, "reason", letter.Reason);
            writer.WriteNumber("timestamp", Math.Round(letter.Timestamp, 3));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        DashboardPersistence persistence = snapshot.Persistence;
        writer.WriteStartObject("persistence");
        writer.WriteString("backend", persistence.Backend);
        writer.WriteString("status", persistence.Status);
        Text(writer, "description", persistence.Description);
        Text(writer, "path", persistence.Path);
        Number(writer, "last_scan", persistence.LastScan is { } scan ? Math.Round(scan, 3) : null);
        Number(writer, "records_scanned", persistence.RecordsScanned);
        Number(writer, "total_anomalies", persistence.TotalAnomalies);
        writer.WritePropertyName("anomalies");
        ReportJson.Write(writer, persistence.Anomalies, ReportJson.Context.IReadOnlyListAnomalyJson);
        Text(writer, "error", persistence.Error);
        writer.WriteBoolean("live", persistence.Live);
        Number(writer, "counters_age_seconds", persistence.CountersAgeSeconds is { } age ? Math.Round(age, 1) : null);
        if (persistence.Counters is { } counters)
        {
            writer.WriteStartObject("counters");
            foreach (KeyValuePair<string, long> counter in counters)
            {
                writer.WriteNumber(counter.Key, counter.Value);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("counters");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void Text(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
