namespace Papyra.Persistence.Configuration;

/// <summary>The built-in persistence backends a store can be opened with.</summary>
public enum PersistenceBackendKind
{
    /// <summary>An in-process store that lives as long as its backend instance (<c>memory</c>).</summary>
    Memory = 0,

    /// <summary>One JSON-lines file, the embedded default (<c>json</c>).</summary>
    Json = 1,

    /// <summary>A set of rotating JSON-lines files <c>&lt;path&gt;</c>, <c>&lt;path&gt;.1</c> … (<c>rotating</c>).</summary>
    Rotating = 2,

    /// <summary>Redis Streams (<c>redis</c>), provided by the Papyra.Persistence.Redis package.</summary>
    Redis = 3,
}
