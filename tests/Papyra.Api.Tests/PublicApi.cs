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

    public static string Render(Assembly assembly) => assembly.GeneratePublicApi(Options);
}
