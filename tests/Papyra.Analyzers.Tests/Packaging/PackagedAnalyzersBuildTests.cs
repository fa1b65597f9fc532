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
        public static object? Peek() => typeof(JsonFilePersistenceBackend).GetField("_store", BindingFlags.NonPublic | BindingFlags.Instance);
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
            WriteToolProject(tool, feed, Path.Combine(work.FullName, "packages"), version, isTool: true);

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

    /// <summary>
    /// Every public type or member marked <c>[PapyraInternal]</c> in the shipped assemblies, touched from an
    /// ordinary application (not a tool) built from the packed packages: each touch is a PAP0001 error on its
    /// own line, and the same application without them builds with no PAP diagnostic at all.
    /// </summary>
    [Fact]
    public async Task Every_PapyraInternal_api_used_from_a_consumer_of_the_packages_fails_with_PAP0001()
    {
        string[] touches = PapyraInternalTouches();
        Assert.NotEmpty(touches);
        var root = TestReferences.RepositoryRoot;
        var configuration = typeof(PackagedAnalyzersBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var work = Directory.CreateTempSubdirectory("papyra-internal-");
        try
        {
            var version = "0.0.0-internaltest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var feed = work.CreateSubdirectory("feed").FullName;
            foreach (var project in new[] { "Papyra.Abstractions", "Papyra.Runtime" })
            {
                var pack = await DotnetAsync(root, "pack", Path.Combine(root, "src", project, project + ".csproj"), "-c", configuration, "--no-build", "-o", feed, "-p:PackageVersion=" + version);
                Assert.True(pack.ExitCode == 0, "dotnet pack " + project + " failed:\n" + pack.Output);
            }

            var consumer = work.CreateSubdirectory("consumer").FullName;
            WriteToolProject(consumer, feed, Path.Combine(work.FullName, "packages"), version, isTool: false);

            const int FirstTouchLine = 5;
            File.WriteAllText(Path.Combine(consumer, "Probe.cs"), InternalProbeSource(touches));
            var failing = await DotnetAsync(consumer, "build", "-c", "Release");
            Assert.True(failing.ExitCode != 0, "The build should fail:\n" + failing.Output);
            Assert.Equal(["PAP0001"], PapIds(failing.Output));
            int[] reported = [.. Pap0001Line().Matches(failing.Output).Select(m => int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()];
            Assert.Equal(Enumerable.Range(FirstTouchLine, touches.Length), reported);

            File.WriteAllText(Path.Combine(consumer, "Probe.cs"), InternalProbeSource([]));
            var clean = await DotnetAsync(consumer, "build", "-c", "Release");
            Assert.True(clean.ExitCode == 0, "The build should succeed:\n" + clean.Output);
            Assert.Empty(PapIds(clean.Output));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>One statement per [PapyraInternal] type, and per [PapyraInternal] member of a type that is not itself marked.</summary>
    private static string[] PapyraInternalTouches()
    {
        static bool Marked(MemberInfo member) => member.GetCustomAttributes(typeof(PapyraInternalAttribute), inherit: false).Length > 0;
        static string Name(Type type) => "global::" + type.FullName!.Replace('+', '.');

        List<string> touches = [];
        foreach (Type type in new[] { typeof(PapyraInternalAttribute).Assembly, typeof(ActorSystem).Assembly }.SelectMany(a => a.GetExportedTypes()).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (Marked(type))
            {
                touches.Add($"_ = typeof({Name(type)});");
                continue;
            }

            foreach (string member in type.GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(Marked).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal))
            {
                touches.Add($"_ = nameof({Name(type)}.{member});");
            }
        }

        return [.. touches];
    }

    private static string InternalProbeSource(string[] touches) => $$"""
        public static class Probe
        {
            public static void Touch()
            {
        {{string.Join("\n", touches)}}
            }
        }
        """;

    private static string ProbeSource(string extra) => $$"""
        using System.Reflection;
        using Papyra.Persistence;
        using Papyra.Persistence.Json;

        public static class Probe
        {
            public static int NameLength() => PersistenceMetricNames.RecordsWritten.Length;
        {{extra}}
        }
        """;

    private static void WriteToolProject(string directory, string feed, string packages, string version, bool isTool)
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
                <PapyraTool>{(isTool ? "true" : "false")}</PapyraTool>
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

    [GeneratedRegex(@"Probe\.cs\((?<line>\d+),\d+\): error PAP0001:")]
    private static partial Regex Pap0001Line();

    [GeneratedRegex(@"(?:error|warning) (?<id>PAP\d{4}):")]
    private static partial Regex PapDiagnostic();
}
