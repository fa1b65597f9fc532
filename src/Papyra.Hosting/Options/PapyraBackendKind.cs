namespace Papyra.Hosting;

/// <summary>Which persistence backend <see cref="PapyraServiceCollectionExtensions.AddPapyra(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{PapyraOptions})"/> creates.</summary>
public enum PapyraBackendKind
{
    /// <summary>Records are kept in process memory (<c>memory</c>): nothing survives a restart. The default.</summary>
    Memory = 0,

    /// <summary>One JSON-lines file at <see cref="PapyraOptions.Path"/> (<c>json</c>).</summary>
    Json = 1,

    /// <summary>A set of rotating JSON-lines files <c>&lt;path&gt;</c>, <c>&lt;path&gt;.1</c>, … bounded by <see cref="PapyraOptions.Rotation"/> (<c>rotating</c>).</summary>
    Rotating = 2,
}
