using System.IO.Compression;
using System.Xml.Linq;
using Papyra.Api.Tests.Compatibility;
using Papyra.TestSupport;

namespace Papyra.Api.Tests.Packaging;

/// <summary>
/// Every shipped library packs ready to publish: its README, tags, description, license and authors in the
/// nuspec, its assembly and XML documentation, a symbol package beside it, the analyzers and generators where
/// they belong (and nowhere else), and dependencies on the other Papyra packages at the same version. The
/// <c>papyra</c> tool package is checked end to end by tests/Papyra.Cli.Tests/tool-install-check.sh.
/// </summary>
public sealed class PackageContentsTests : IAsyncLifetime
{
    private DirectoryInfo? _work;

    private string Packages => Path.Combine(_work!.FullName, "packages");

    public async Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("papyra-pack-");
        string projects = string.Join(";", PackageValidationTests.ShippedLibraries.Select(p => Path.Combine(Approvals.RepositoryRoot, "src", p, p + ".csproj")));
        string traversal = Path.Combine(_work.FullName, "pack.proj");
        File.WriteAllText(traversal, $"""
            <Project>
              <ItemGroup>
                <Library Include="{projects}" />
              </ItemGroup>
              <Target Name="PackAll">
                <MSBuild Projects="@(Library)" Targets="Pack" Properties="Configuration={Dotnet.Configuration};NoBuild=true;PackageOutputPath={Packages}/" />
              </Target>
            </Project>
            """);
        (int exitCode, string output) = await Dotnet.RunAsync(_work.FullName, "msbuild", traversal, "-t:PackAll", "-nologo");
        Assert.True(exitCode == 0, "dotnet pack of the shipped libraries failed:\n" + output);
    }

    public Task DisposeAsync()
    {
        _work?.Delete(recursive: true);
        return Task.CompletedTask;
    }

    public static TheoryData<string> Libraries => new(PackageValidationTests.ShippedLibraries);

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_package_carries_its_metadata_readme_docs_and_symbols(string library)
    {
        string package = Path.Combine(Packages, $"{library}.0.1.0.nupkg");
        using ZipArchive zip = ZipFile.OpenRead(package);
        string[] entries = [.. zip.Entries.Select(e => e.FullName)];
        XElement metadata = ReadNuspec(zip, library);

        Assert.Equal(library, Value(metadata, "id"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")), $"{library} has no description.");
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains("README.md", entries);
        Assert.StartsWith($"# {library}", ReadEntry(zip, "README.md"), StringComparison.Ordinal);
        Assert.Equal("BSD-3-Clause", Value(metadata, "license"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "authors")));
        string[] tags = Value(metadata, "tags").Split(' ');
        Assert.Contains("papyra", tags);
        Assert.True(tags.Length > 5, $"{library} has only the common tags: {string.Join(' ', tags)}");
        Assert.Contains($"lib/net10.0/{library}.dll", entries);
        Assert.Contains($"lib/net10.0/{library}.xml", entries);
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"{library} has no symbol package.");
    }

    [Theory]
    [InlineData("Papyra.Abstractions", true, false)]
    [InlineData("Papyra.Runtime", true, true)]
    [InlineData("Papyra.Persistence.Redis", false, false)]
    [InlineData("Papyra.Hosting", false, false)]
    [InlineData("Papyra.Testing", false, false)]
    public void Analyzers_and_generators_ship_where_they_belong(string library, bool analyzers, bool generators)
    {
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(Packages, $"{library}.0.1.0.nupkg"));
        string[] roslyn = [.. zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith("analyzers/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

        string[] expected =
        [
            .. analyzers ? new[] { "analyzers/dotnet/cs/Papyra.Analyzers.CodeFixes.dll", "analyzers/dotnet/cs/Papyra.Analyzers.dll" } : [],
            .. generators ? new[] { "analyzers/dotnet/cs/Papyra.Generators.dll" } : [],
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), roslyn);
    }

    [Fact]
    public void Papyra_packages_depend_on_each_other_at_the_same_version()
    {
        foreach (string library in PackageValidationTests.ShippedLibraries)
        {
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(Packages, $"{library}.0.1.0.nupkg"));
            foreach (XElement dependency in ReadNuspec(zip, library).Descendants().Where(e => e.Name.LocalName == "dependency").Where(d => ((string)d.Attribute("id")!).StartsWith("Papyra.", StringComparison.Ordinal)))
            {
                Assert.True((string?)dependency.Attribute("version") == "0.1.0", $"{library} depends on {dependency.Attribute("id")} {dependency.Attribute("version")}.");
            }
        }
    }

    private static XElement ReadNuspec(ZipArchive zip, string library)
        => XDocument.Parse(ReadEntry(zip, library + ".nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    // The nuspec's XML namespace depends on the features the package uses: match by local name.
    private static string Value(XElement metadata, string name) => (string?)metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? string.Empty;
}
