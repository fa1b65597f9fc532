using System.Text;

namespace Papyra.Cli.Tests.Infrastructure;

/// <summary>A temporary directory holding real store files for one test; deleted afterwards.</summary>
internal sealed class StoreDirectory : IDisposable
{
    public const string Event1 = """{"kind":"event","system_id":"local","actor_address":{"system":"local","actor_id":1},"event_type":"ActorStarted","payload":{},"timestamp":100.0}""";
    public const string Event2 = """{"kind":"event","system_id":"local","actor_address":{"system":"local","actor_id":2},"event_type":"ActorStarted","payload":{},"timestamp":200.0}""";
    public const string Event3 = """{"kind":"event","system_id":"local","actor_address":{"system":"local","actor_id":1},"event_type":"ActorStopped","payload":{"reason":"done"},"timestamp":300.0}""";
    public const string Audit1 = """{"kind":"audit","system_id":"local","timestamp":400.0,"total_actors":2,"alive_actors":1,"stopping_actors":0,"restarting_actors":0,"registry_size":1,"registry_orphans":[],"registry_dead":[],"dead_letters_count":1}""";
    public const string DeadLetter1 = """{"kind":"dead_letter","system_id":"local","target":{"system":"local","actor_id":2},"message_type":"Ping","payload":"hello","timestamp":500.0,"expects_reply":false}""";

    public StoreDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "papyra-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The default store file path (not created until written).</summary>
    public string Store => PathOf("events.ndjson");

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Writes lines, each followed by <c>\n</c>, to the store file.</summary>
    public string WriteStore(params string[] lines) => WriteLines(Store, lines);

    /// <summary>A healthy store with three events, one audit and one dead letter.</summary>
    public string WriteHealthyStore() => WriteStore(Event1, Event2, Event3, Audit1, DeadLetter1);

    /// <summary>A store whose second line is not JSON and whose last line has no newline.</summary>
    public string WriteDamagedStore()
    {
        File.WriteAllText(Store, $"{Event1}\nnot json at all\n{Event2}\n{{\"kind\":\"event\",\"tim", new UTF8Encoding(false));
        return Store;
    }

    public string WriteLines(string path, params string[] lines)
    {
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
        return path;
    }

    public IReadOnlyList<string> Files() => [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that used it.
        }
    }
}
