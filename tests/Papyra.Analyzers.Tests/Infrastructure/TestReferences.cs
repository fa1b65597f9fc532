using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Papyra.Analyzers.Tests;

/// <summary>
/// The references every analyzer test compiles against: the .NET 10 reference pack of the running SDK
/// (Papyra targets net10.0, so the kit's net8.0 packages cannot host it), the real Papyra.Abstractions and
/// Papyra.Runtime, and the contract-rule fixtures of <see cref="FixtureAssembly"/>.
/// </summary>
internal static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_framework = new(LoadFramework);
    private static readonly Lazy<MetadataReference> s_fixtures = new(() => Compile("Papyra.Fixtures", FixtureAssembly.Source));

    /// <summary>The .NET 10 framework references.</summary>
    public static ImmutableArray<MetadataReference> Framework => s_framework.Value;

    /// <summary>The real Papyra.Abstractions.</summary>
    public static MetadataReference Abstractions { get; } = MetadataReference.CreateFromFile(typeof(PapyraToolAttribute).Assembly.Location);

    /// <summary>The real Papyra.Runtime and the packages it depends on.</summary>
    public static ImmutableArray<MetadataReference> Runtime { get; } =
    [
        MetadataReference.CreateFromFile(typeof(Actor).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    /// <summary>An in-memory assembly named Papyra.Fixtures holding <see cref="FixtureAssembly.Source"/>.</summary>
    public static MetadataReference Fixtures => s_fixtures.Value;

    /// <summary>The repository root (for docs and release files).</summary>
    public static string RepositoryRoot { get; } = typeof(TestReferences).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var referenceDirectory = Directory.Exists(packs)
            ? Directory.GetDirectories(packs)
                .Select(d => Path.Combine(d, "ref", "net10.0"))
                .Where(Directory.Exists)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

        // Without a reference pack, the implementation assemblies of the running runtime compile just as well.
        var directory = referenceDirectory ?? runtimeDirectory;
        return Directory.GetFiles(directory, "*.dll")
            .Where(IsManaged)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static MetadataReference Compile(string assemblyName, string source)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            [.. Framework, Abstractions],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException(assemblyName + " does not compile:\n" + string.Join("\n", result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
