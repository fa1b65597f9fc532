namespace Papyra.Hosting;

/// <summary>
/// What <see cref="PapyraEndpointRouteBuilderExtensions.MapPapyraEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string)"/>
/// exposes, bound from <c>Papyra:Endpoints</c>. Read-only endpoints are always mapped; the mutating
/// ones (compaction, metrics reset) only when <see cref="EnableMutatingEndpoints"/> is set and an
/// <see cref="AuthorizationPolicy"/> names the policy that protects them.
/// </summary>
public sealed class PapyraEndpointOptions
{
    /// <summary>Whether <c>POST {prefix}/compact</c> and <c>POST {prefix}/metrics/reset</c> are mapped. Default <see langword="false"/>.</summary>
    public bool EnableMutatingEndpoints { get; set; }

    /// <summary>
    /// The name of the ASP.NET Core authorization policy every mutating endpoint requires. Mapping
    /// mutating endpoints without one is refused: a destructive operation is never left open by default.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }
}
