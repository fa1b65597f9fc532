using System.Reflection;
using System.Text.RegularExpressions;
using Papyra.TestSupport;

namespace Papyra.Analyzers.Tests.Packaging;

/// <summary>
/// Compile-time enforcement, end to end: pack Papyra.Abstractions and Papyra.Runtime (from their existing build
/// output, so nothing in the repository is rebuilt), restore a temporary third-party tool project from that feed,
/// and run <c>dotnet build</c> on it.
/// </summary>
public sealed partial class PackagedAnalyzersBuildTests
{
    private const string Offending = """
        // A tool peeking into the runtime: reflection into a private field of a Papyra.Runtime type.
        public static object? Peek() => typeof(PersistenceMetricsRecorder).GetField("_writeErrors", BindingFlags.NonPublic | BindingFlags.Instance);
        """;

    [Fact]
    public async Task A_tool_touching_runtime_internals_fails_to_build_with_PAP_ids_and_builds_clean_without_them()
    {
        var root = TestReferences.RepositoryRoot;
        var configuration = typeof(PackagedAnalyzersBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var work = Directory.CreateTempSubdirectory("papyra-analyzers-");
        try
        {
            // A version of its own, so the restore can never pick a stale package from a cache.
            var version = "0.0.0-buildtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var feed = work.CreateSubdirectory("feed").FullName;
            foreach (var project in new[] { "Papyra.Abstractions", "Papyra.Runtime" })
            {
                var pack = await DotnetAsync(root, "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", configuration, "--no-build", "-o", feed, "-p:PackageVersion=" + version);
                Assert.True(pack.ExitCode == 0, "dotnet pack " + project + " failed:\n" + pack.Output);
            }

            var tool = work.CreateSubdirectory("tool").FullName;
            WriteToolProject(tool, feed, Path.Combine(work.FullName, "packages"), version);

            File.WriteAllText(Path.Combine(tool, "Probe.cs"), ProbeSource(Offending));
            var failing = await DotnetAsync(tool, "build", "-c", "Release");
            Assert.True(failing.ExitCode != 0, "The build should fail:\n" + failing.Output);
            Assert.Equal(["PAP0002", "PAP0003"], PapIds(failing.Output));

            File.WriteAllText(Path.Combine(tool, "Probe.cs"), ProbeSource(string.Empty));
            var clean = await DotnetAsync(tool, "build", "-c", "Release");
            Assert.True(clean.ExitCode == 0, "The build should succeed:\n" + clean.Output);
            Assert.Empty(PapIds(clean.Output));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string ProbeSource(string extra) => $$"""
        using System.Reflection;
        using Papyra.Persistence;
        using Papyra.Persistence.Metrics;

        public static class Probe
        {
            public static int NameLength() => PersistenceMetricNames.RecordsWritten.Length;
        {{extra}}
        }
        """;

    private static void WriteToolProject(string directory, string feed, string packages, string version)
    {
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        // The packed feed first; the machine's package cache and nuget.org for the runtime's own dependencies.
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="papyra-packed" value="{feed}" />
                <add key="local-cache" value="{globalPackages}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        // A third-party tool: marked with the MSBuild property, referencing both packages (so the analyzers
        // arrive twice and the packaged targets must keep one copy).
        File.WriteAllText(Path.Combine(directory, "ThirdParty.Probe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <PapyraTool>true</PapyraTool>
                <RestorePackagesPath>{packages}</RestorePackagesPath>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Papyra.Abstractions" Version="{version}" />
                <PackageReference Include="Papyra.Runtime" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
    }

    private static string[] PapIds(string output) =>
        [.. PapDiagnostic().Matches(output).Select(m => m.Groups["id"].Value).Distinct().Order(StringComparer.Ordinal)];

    private static Task<(int ExitCode, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
        => ChildProcess.DotnetAsync(workingDirectory, [.. arguments, "-nodeReuse:false", "-p:UseSharedCompilation=false"]);

    [GeneratedRegex(@"(?:error|warning) (?<id>PAP\d{4}):")]
    private static partial Regex PapDiagnostic();
}
