using System.Reflection;
using Papyra.TestSupport;

namespace Papyra.Api.Tests;

/// <summary>The dotnet CLI (or git) run as a child process for the API tests (<see cref="ChildProcess"/>), and the configuration they were built in.</summary>
internal static class Dotnet
{
    /// <summary>The configuration the tests were built in, so <c>--no-build</c> packs find the build output.</summary>
    public static string Configuration { get; } = typeof(Dotnet).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and returns its exit code and combined output.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments) =>
        ChildProcess.DotnetAsync(workingDirectory, [.. arguments, "-nodeReuse:false", "-p:UseSharedCompilation=false"]);

    /// <summary>Runs any program (git, bash) and returns its exit code and combined output.</summary>
    public static Task<(int ExitCode, string Output)> RunProcessAsync(string program, string workingDirectory, params string[] arguments)
        => ChildProcess.RunAsync(program, workingDirectory, TimeSpan.FromMinutes(5), arguments);
}
