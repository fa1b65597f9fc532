using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Papyra.TestSupport;

namespace Papyra.Generators.Tests.Packaging;

/// <summary>
/// Referencing the Papyra.Runtime package is all a user does: the generator ships inside it under
/// analyzers/dotnet/cs, and a project restored from the packed packages gets generated dispatch and
/// proxies. Packs Papyra.Abstractions and Papyra.Runtime (already built by this test project) into a
/// temporary feed, restores a tiny console app from it offline, builds it and runs it.
/// </summary>
public sealed class PackageConsumptionTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("papyra-package-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Consumer_of_the_packed_runtime_gets_dispatch_and_proxies_generated_and_runs_them()
    {
        string version = "0.1.0-packagetest." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        string feed = Directory.CreateDirectory(Path.Combine(_work.FullName, "feed")).FullName;
        string configuration = typeof(PackageConsumptionTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        foreach (string project in new[] { "src/Papyra.Abstractions/Papyra.Abstractions.csproj", "src/Papyra.Runtime/Papyra.Runtime.csproj" })
        {
            await RunDotnetAsync(Approvals.RepositoryRoot, "pack", Path.Combine(Approvals.RepositoryRoot, project), "-c", configuration, "--no-build", "-o", feed, $"-p:Version={version}");
        }

        string runtimePackage = Path.Combine(feed, $"Papyra.Runtime.{version}.nupkg");
        AssertPackageCarriesTheGenerator(runtimePackage);

        string app = WriteConsumer(feed, version);
        await RunDotnetAsync(app, "build", "-c", "Release");
        string output = await RunDotnetAsync(app, "run", "-c", "Release", "--no-build");

        Assert.Contains("total=5 description=counter at 5 typed=True", output, StringComparison.Ordinal);
    }

    private static void AssertPackageCarriesTheGenerator(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        Assert.Contains(zip.Entries, e => e.FullName == "analyzers/dotnet/cs/Papyra.Generators.dll");
        Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == "Papyra.Generators.dll");

        using Stream nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        string[] dependencies = [.. XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!)];
        Assert.Contains("Papyra.Abstractions", dependencies);
        Assert.DoesNotContain("Papyra.Generators", dependencies);
    }

    private string WriteConsumer(string feed, string version)
    {
        string app = Directory.CreateDirectory(Path.Combine(_work.FullName, "app")).FullName;
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        // Offline restore: the fresh packages plus the machine's package cache as a read-only feed,
        // into a private packages folder so no test version lands in the user's cache.
        File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
                <add key="machine-cache" value="{globalPackages}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(_work.FullName, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Papyra.Runtime" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Papyra;
            using Consumer;

            await using var system = new ActorSystem();
            await system.StartAsync();
            CounterRef counter = system.SpawnCounter("counter");
            counter.Add(new Add(2));
            counter.Add(new Add(3));
            int total = await counter.TotalAsync(new Total());
            string description = await counter.DescribeAsync(new Describe(), TimeSpan.FromSeconds(5));
            Console.WriteLine($"total={total} description={description} typed={system.RefForName("counter").AsCounterRef() == counter}");

            namespace Consumer
            {
                public sealed record Add(int Amount);
                public sealed record Total;
                public sealed record Describe;

                [Actor]
                public sealed partial class Counter : Actor
                {
                    private int _total;

                    public void Add(Add message) => _total += message.Amount;

                    public int Total(Total message) => _total;

                    public async Task<string> DescribeAsync(Describe message, CancellationToken cancellationToken)
                    {
                        await Task.Yield();
                        return $"counter at {_total}";
                    }
                }
            }
            """);
        return app;
    }

    private static async Task<string> RunDotnetAsync(string workingDirectory, params string[] arguments)
    {
        (int exitCode, string output) = await ChildProcess.RunAsync("dotnet", workingDirectory, CommandTimeout, arguments);
        Assert.True(exitCode == 0, $"`dotnet {string.Join(' ', arguments)}` exited {exitCode}:\n{output}");
        return output;
    }
}
