using System.Text;
using System.Text.Json;

namespace Papyra.TestSupport;

/// <summary>
/// The shape of a JSON document as approvable text: one line per property path and the kind of
/// its value (<c>runtime.messages_processed: number</c>); array elements are <c>path[]</c>, the
/// union of every element's shape. Values are left out, so a snapshot holds the contract only.
/// </summary>
internal static class JsonShape
{
    public static string Render(JsonElement root)
    {
        SortedDictionary<string, SortedSet<string>> paths = new(StringComparer.Ordinal);
        Walk(root, "$", paths);
        StringBuilder text = new();
        foreach ((string path, SortedSet<string> kinds) in paths)
        {
            text.Append(path).Append(": ").AppendJoin('|', kinds).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Every path of the document (without the kinds).</summary>
    public static IReadOnlySet<string> Paths(JsonElement root)
    {
        SortedDictionary<string, SortedSet<string>> paths = new(StringComparer.Ordinal);
        Walk(root, "$", paths);
        return new HashSet<string>(paths.Keys, StringComparer.Ordinal);
    }

    private static void Walk(JsonElement element, string path, SortedDictionary<string, SortedSet<string>> paths)
    {
        if (!paths.TryGetValue(path, out SortedSet<string>? kinds))
        {
            paths[path] = kinds = new SortedSet<string>(StringComparer.Ordinal);
        }

        kinds.Add(element.ValueKind switch
        {
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Undefined => "undefined",
            _ => element.ValueKind.ToString().ToLowerInvariant(),
        });
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                Walk(property.Value, path + "." + property.Name, paths);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in element.EnumerateArray())
            {
                Walk(item, path + "[]", paths);
            }
        }
    }
}
