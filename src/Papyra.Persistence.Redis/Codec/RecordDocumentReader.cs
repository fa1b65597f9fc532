using System.Globalization;
using System.Text.Json;
using Papyra.Persistence.Serialization;

namespace Papyra.Persistence.Redis.Codec;

/// <summary>
/// Builds a record from a decoded JSON document, accepting every shape Python Papyra writes:
/// any key order, extra fields, minimal records (only <c>kind</c> and a numeric <c>timestamp</c> are
/// required; other fields take defaults), addresses as <c>system:id</c> text, as
/// <c>{"system","actor_id"}</c> objects, or as the runtime-object dump whose <c>_address</c> holds one.
/// </summary>
internal static class RecordDocumentReader
{
    public static bool TryRead(JsonElement root, string defaultSystemId, out PersistedRecord? record, out string? problem)
    {
        record = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = $"the payload is JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
            return false;
        }

        if (!root.TryGetProperty(RecordFieldNames.Kind, out JsonElement kindElement) || kindElement.ValueKind != JsonValueKind.String)
        {
            problem = "the record has no 'kind' string";
            return false;
        }

        string? kindText = kindElement.GetString();
        if (!PersistedRecordKinds.TryParse(kindText, out PersistedRecordKind kind))
        {
            problem = $"the record kind '{kindText}' is not event, audit or dead_letter";
            return false;
        }

        if (!root.TryGetProperty(RecordFieldNames.Timestamp, out JsonElement timestampElement)
            || timestampElement.ValueKind != JsonValueKind.Number
            || !timestampElement.TryGetDouble(out double timestamp)
            || !double.IsFinite(timestamp))
        {
            problem = "the record has no finite numeric 'timestamp'";
            return false;
        }

        string systemId = String(root, RecordFieldNames.SystemId) ?? defaultSystemId;
        record = kind switch
        {
            PersistedRecordKind.Event => new PersistedEvent(
                systemId,
                Address(root, RecordFieldNames.ActorAddress),
                String(root, RecordFieldNames.EventType) ?? string.Empty,
                Property(root, RecordFieldNames.Payload),
                timestamp),
            PersistedRecordKind.Audit => new PersistedAudit(
                systemId,
                timestamp,
                Int32(root, RecordFieldNames.TotalActors),
                Int32(root, RecordFieldNames.AliveActors),
                Int32(root, RecordFieldNames.StoppingActors),
                Int32(root, RecordFieldNames.RestartingActors),
                Int32(root, RecordFieldNames.RegistrySize),
                Strings(root, RecordFieldNames.RegistryOrphans),
                Strings(root, RecordFieldNames.RegistryDead),
                Int64(root, RecordFieldNames.DeadLettersCount)),
            _ => new PersistedDeadLetter(
                systemId,
                Address(root, RecordFieldNames.Target),
                String(root, RecordFieldNames.MessageType) ?? string.Empty,
                Property(root, RecordFieldNames.Payload),
                timestamp,
                root.TryGetProperty(RecordFieldNames.ExpectsReply, out JsonElement reply) && reply.ValueKind == JsonValueKind.True),
        };
        problem = null;
        return true;
    }

    private static JsonElement? Property(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) ? value : null;

    private static string? String(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int32(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : 0;

    private static long Int64(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : 0;

    private static string[] Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var items = new List<string>(value.GetArrayLength());
        foreach (JsonElement item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        }

        return [.. items];
    }

    private static ActorAddress? Address(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement value) ? Address(value, 0) : null;

    private static ActorAddress? Address(JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                string text = value.GetString()!;
                if (ActorAddress.TryParse(text, out ActorAddress parsed))
                {
                    return parsed;
                }

                // Hand-written upstream records use "system://id".
                int separator = text.IndexOf("://", StringComparison.Ordinal);
                return separator > 0 && ActorAddress.TryParse(string.Concat(text.AsSpan(0, separator), ":", text.AsSpan(separator + 3)), out parsed)
                    ? parsed
                    : null;
            case JsonValueKind.Object:
                if (value.TryGetProperty(RecordFieldNames.AddressSystem, out JsonElement system)
                    && system.ValueKind == JsonValueKind.String
                    && value.TryGetProperty(RecordFieldNames.AddressActorId, out JsonElement id)
                    && id.ValueKind == JsonValueKind.Number
                    && id.TryGetInt64(out long actorId))
                {
                    return ActorAddress.TryParse(string.Create(CultureInfo.InvariantCulture, $"{system.GetString()}:{actorId}"), out ActorAddress address) ? address : null;
                }

                // The Python runtime dumped the ActorRef object; its address sits under "_address".
                return depth == 0 && value.TryGetProperty("_address", out JsonElement inner) ? Address(inner, depth + 1) : null;
            default:
                return null;
        }
    }
}
