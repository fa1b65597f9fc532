using System.Text.Json;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

public static class Records
{
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static PersistedEvent Event(double timestamp, string type = "ActorStarted", string system = "local", long actor = 1, string payload = "{}")
        => new(system, new ActorAddress(system, actor), type, Json(payload), timestamp);

    public static PersistedAudit Audit(double timestamp, string system = "local")
        => new(system, timestamp, 3, 2, 1, 0, 2, ["orphan"], ["dead"], 7);

    public static PersistedDeadLetter DeadLetter(double timestamp, string system = "local", long target = 2, string type = "String", string payload = "\"héllo\"")
        => new(system, new ActorAddress(system, target), type, Json(payload), timestamp, expectsReply: true);
}

public static class RecordText
{
    /// <summary>The record's NDJSON line: records hold JSON elements, so they are compared by their serialised form.</summary>
    public static string Line(PersistedRecord record)
        => System.Text.Encoding.UTF8.GetString(Papyra.Persistence.Serialization.PersistedRecordSerializer.SerializeLine(record)).TrimEnd('\n');

    public static string[] Lines<T>(IEnumerable<T> records)
        where T : PersistedRecord
        => [.. records.Select(r => Line(r))];
}
