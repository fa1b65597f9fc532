using System.Reflection;
using System.Runtime.CompilerServices;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.TestSupport;

namespace Papyra.Docs.Tests.Infrastructure;

/// <summary>Points the shared papyra runner at the tool's own build output (src/Papyra.Cli/bin/&lt;configuration&gt;/net10.0).</summary>
internal static class ToolLocation
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        string configuration = typeof(ToolLocation).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        PapyraProcess.AppHost = Path.Combine(Approvals.RepositoryRoot, "src", "Papyra.Cli", "bin", configuration, "net10.0", OperatingSystem.IsWindows() ? "papyra.exe" : "papyra");
    }
}
