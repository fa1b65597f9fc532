namespace Papyra.Cli.Rendering;

/// <summary>
/// How a store is named in output: its backend, its location (a file path, or a Redis stream key)
/// and, for Redis, the server's redacted URL.
/// </summary>
internal sealed record StoreView(string Backend, string? Path, string? Server = null)
{
    public string Describe => (Path, Server) switch
    {
        (null, _) => Backend,
        (_, null) => $"{Path} ({Backend})",
        _ => $"{Path} at {Server} ({Backend})",
    };
}
