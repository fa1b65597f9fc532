using System.Text.RegularExpressions;
using Papyra.TestSupport;

namespace Papyra.Api.Tests.Compatibility;

/// <summary>
/// Binary compatibility with the last release: <c>dotnet pack</c> validates every shipped library against its
/// package in api/baseline/&lt;version&gt;/ (api/baseline/PackageValidation.targets, docs/api-compatibility.md).
/// Text snapshots catch what a reader sees; this catches what a compiled consumer sees.
/// </summary>
public sealed partial class PackageValidationTests
{
    /// <summary>Every packable library of src/ (the dotnet tool Papyra.Cli has no API to keep).</summary>
    public static readonly string[] ShippedLibraries =
    [
        "Papyra.Abstractions", "Papyra.Runtime", "Papyra.Persistence.Redis", "Papyra.Hosting", "Papyra.Testing",
    ];

    [Fact]
    public async Task Shipped_packages_are_binary_compatible_with_the_baseline_release()
    {
        DirectoryInfo work = Directory.CreateTempSubdirectory("papyra-validate-");
        try
        {
            // One MSBuild process packs all of them from the existing build output. A semaphore file of our own
            // makes the validation run even when an earlier pack left it "up to date".
            string projects = string.Join(";", ShippedLibraries.Select(p => Path.Combine(Approvals.RepositoryRoot, "src", p, p + ".csproj")));
            string traversal = Path.Combine(work.FullName, "validate.proj");
            File.WriteAllText(traversal, $"""
                <Project>
                  <ItemGroup>
                    <Library Include="{projects}" />
                  </ItemGroup>
                  <Target Name="Validate">
                    <MSBuild Projects="%(Library.Identity)" Targets="Pack"
                             Properties="Configuration={Dotnet.Configuration};NoBuild=true;PackageOutputPath={work.FullName}/packages/;_ApiCompatValidatePackageSemaphoreFile={work.FullName}/%(Library.Filename).semaphore" />
                  </Target>
                </Project>
                """);

            (int exitCode, string output) = await Dotnet.RunAsync(work.FullName, "msbuild", traversal, "-t:Validate", "-nologo");

            Assert.True(exitCode == 0, "Package validation against api/baseline failed (a binary break; see docs/api-compatibility.md):\n" + output);
            foreach (string library in ShippedLibraries)
            {
                Assert.True(File.Exists(Path.Combine(work.FullName, library + ".semaphore")), $"package validation did not run for {library}:\n{output}");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_shipped_library_has_a_baseline_package_and_nothing_else_is_in_the_baseline()
    {
        string targets = File.ReadAllText(Path.Combine(Approvals.RepositoryRoot, "api", "baseline", "PackageValidation.targets"));
        string version = BaselineVersion().Match(targets).Groups["version"].Value;
        string directory = Path.Combine(Approvals.RepositoryRoot, "api", "baseline", version);

        string[] packages = [.. Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

        Assert.Equal([.. ShippedLibraries.Select(l => $"{l}.{version}.nupkg").Order(StringComparer.Ordinal)], packages);
        Assert.Equal([version], Directory.GetDirectories(Path.Combine(Approvals.RepositoryRoot, "api", "baseline")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_member_removed_since_the_baseline_fails_the_pack_with_CP0002_naming_it()
    {
        DirectoryInfo work = Directory.CreateTempSubdirectory("papyra-break-");
        try
        {
            string project = work.CreateSubdirectory("Widgets").FullName;
            string baseline = Path.Combine(work.FullName, "baseline");
            File.WriteAllText(Path.Combine(project, "Widgets.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>disable</ImplicitUsings>
                    <IsPackable>true</IsPackable>
                    <PackageId>Papyra.Fixture.Widgets</PackageId>
                    <Authors>fixture</Authors>
                    <NuGetAudit>false</NuGetAudit>
                    <PapyraBaselineVersion>1.0.0</PapyraBaselineVersion>
                    <PapyraBaselineDirectory>{baseline}/</PapyraBaselineDirectory>
                  </PropertyGroup>
                  <!-- The repository's own package validation settings, under test. -->
                  <Import Project="{Path.Combine(Approvals.RepositoryRoot, "api", "baseline", "PackageValidation.targets")}" />
                </Project>
                """);
            string source = Path.Combine(project, "Widget.cs");

            // 1.0.0, the "last release": Widget has Resize(int). Packed for real into the baseline folder.
            File.WriteAllText(source, WidgetSource("public void Resize(int width) => Width = width;"));
            (int released, string releaseOutput) = await Dotnet.RunAsync(project, "pack", "-c", "Release", "-o", baseline, "-p:Version=1.0.0", "-p:EnablePackageValidation=false");
            Assert.True(released == 0, "packing the baseline failed:\n" + releaseOutput);

            // 1.1.0 adds a member: compatible, the pack validates and succeeds.
            File.WriteAllText(source, WidgetSource("public void Resize(int width) => Width = width;\n    public void Grow() => Width++;"));
            (int compatible, string compatibleOutput) = await Dotnet.RunAsync(project, "pack", "-c", "Release", "-o", Path.Combine(work.FullName, "out"), "-p:Version=1.1.0");
            Assert.True(compatible == 0, "an added member must pass package validation:\n" + compatibleOutput);
            Assert.DoesNotContain("CP0", compatibleOutput, StringComparison.Ordinal);

            // 1.1.0 removes Resize: a binary break. The pack fails and names the member.
            File.WriteAllText(source, WidgetSource("public void Grow() => Width++;"));
            (int broken, string brokenOutput) = await Dotnet.RunAsync(project, "pack", "-c", "Release", "-o", Path.Combine(work.FullName, "out"), "-p:Version=1.1.0");

            Assert.True(broken != 0, "removing a public member must fail package validation:\n" + brokenOutput);
            Assert.True(RemovedResize().IsMatch(brokenOutput), "expected CP0002 naming Widget.Resize(int):\n" + brokenOutput);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string WidgetSource(string members) => $$"""
        namespace Papyra.Fixture;

        /// <summary>A public type of the fixture package.</summary>
        public sealed class Widget
        {
            public int Width { get; private set; }

            {{members}}
        }
        """;

    [GeneratedRegex(@"error CP0002: Member 'void Papyra\.Fixture\.Widget\.Resize\(int\)' exists on \[Baseline\] lib/net10\.0/Widgets\.dll but not on lib/net10\.0/Widgets\.dll")]
    private static partial Regex RemovedResize();

    [GeneratedRegex(@"<PapyraBaselineVersion[^>]*>(?<version>[^<]+)</PapyraBaselineVersion>")]
    private static partial Regex BaselineVersion();
}
