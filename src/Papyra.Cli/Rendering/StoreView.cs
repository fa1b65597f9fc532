using Papyra.Persistence.Configuration;

namespace Papyra.Cli.Rendering;

/// <summary>How a store is named in output: its backend and its location (a path, or a redacted URL).</summary>
internal sealed record StoreView(string Backend, string? Path)
{
    public static StoreView Of(PersistenceBackendSettings settings) => new(
        PersistenceOptionNames.ToName(settings.Backend),
        settings.Backend == PersistenceBackendKind.Memory ? null : settings.DisplayLocation);

    public string Describe => Path is null ? Backend : $"{Path} ({Backend})";
}
