using System.Text.Json;

namespace Papyra.Persistence;

/// <summary>Normalises record payloads to standalone JSON elements.</summary>
internal static class PayloadElements
{
    private static readonly JsonElement EmptyObject = Parse("{}");
    private static readonly JsonElement Null = Parse("null");

    public static JsonElement OrEmptyObject(JsonElement? payload) => Normalise(payload, EmptyObject);

    public static JsonElement OrNull(JsonElement? payload) => Normalise(payload, Null);

    /// <summary>
    /// A hash consistent with <see cref="JsonElement.DeepEquals"/>: elements it calls equal hash alike
    /// (their kind, and their string value, property count or length), whatever their formatting.
    /// </summary>
    public static int ContentHash(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => HashCode.Combine(JsonValueKind.String, element.GetString()),
        JsonValueKind.Object => HashCode.Combine(JsonValueKind.Object, element.EnumerateObject().Count()),
        JsonValueKind.Array => HashCode.Combine(JsonValueKind.Array, element.GetArrayLength()),
        JsonValueKind kind => kind.GetHashCode(),
    };

    private static JsonElement Normalise(JsonElement? payload, JsonElement fallback)
    {
        if (payload is not { } element || element.ValueKind == JsonValueKind.Undefined)
        {
            return fallback;
        }

        // Cloning detaches the element from a JsonDocument the caller may dispose.
        return element.Clone();
    }

    private static JsonElement Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
