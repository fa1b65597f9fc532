using System.Reflection;
using PublicApiGenerator;

namespace Papyra.Api.Tests;

/// <summary>Renders an assembly's public API in the form the approved snapshots use.</summary>
internal static class PublicApi
{
    private static readonly ApiGeneratorOptions Options = new()
    {
        // Attributes that vary with the build environment rather than with the API.
        ExcludeAttributes =
        [
            "System.Runtime.Versioning.TargetFrameworkAttribute",
            "System.Reflection.AssemblyMetadataAttribute",
            "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
        ],
    };

    /// <summary>The contract: every public type except those marked <c>[PapyraInternal]</c> (members so marked stay, showing the attribute).</summary>
    public static string Render(Assembly assembly) => assembly.GeneratePublicApi(new ApiGeneratorOptions
    {
        ExcludeAttributes = Options.ExcludeAttributes,
        ExcludeTypes = InternalTypes(assembly),
    });

    /// <summary>
    /// The public types marked <c>[PapyraInternal]</c>: shared between Papyra's packages, no compatibility
    /// promise, and an error (PAP0001) to use from outside. <see langword="null"/> when the assembly has none.
    /// </summary>
    public static string? RenderInternal(Assembly assembly)
    {
        Type[] types = InternalTypes(assembly);
        return types.Length == 0
            ? null
            : assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = Options.ExcludeAttributes, IncludeTypes = types });
    }

    /// <summary>The public types of the assembly marked <c>[PapyraInternal]</c> themselves.</summary>
    public static Type[] InternalTypes(Assembly assembly)
        => [.. assembly.GetExportedTypes().Where(t => t.GetCustomAttributes(typeof(PapyraInternalAttribute), inherit: false).Length > 0)];
}
