namespace Papyra.Analyzers.Tests.Contracts;

public sealed class ToolDependencyTests
{
    private const string UsesRuntime = """
        using System.Threading.Tasks;
        using Papyra;
        using Papyra.Persistence;
        //ATTRIBUTE
        public static class Exporter
        {
            public static int Export(IPersistenceBackend backend, {|PAP0003:ActorSystem|} system, ActorAddress address)
            {
                var registry = new {|PAP0003:ActorRegistry|}();
                return registry.{|PAP0003:Count|} + (int)address.Id;
            }
        }
        """;

    [Fact]
    public Task Reports_runtime_types_used_by_an_assembly_marked_PapyraTool() =>
        Verify<ToolDependencyAnalyzer>.AnalyzerAsync(UsesRuntime.Replace("//ATTRIBUTE", "[assembly: PapyraTool]", StringComparison.Ordinal));

    [Fact]
    public Task Reports_runtime_types_used_by_a_project_with_the_PapyraTool_property() =>
        Verify<ToolDependencyAnalyzer>.AnalyzerAsync(UsesRuntime, new TestProject { PapyraToolProperty = "True" });

    [Fact]
    public Task Accepts_a_tool_that_uses_only_Papyra_Abstractions() =>
        Verify<ToolDependencyAnalyzer>.AnalyzerAsync("""
            using System.Threading.Tasks;
            using Papyra;
            using Papyra.Persistence;

            [assembly: PapyraTool]

            public static class Exporter
            {
                public static async Task<int> CountAsync(IPersistenceBackend backend)
                {
                    var result = await backend.ReadEventsAsync(new PersistenceQuery { Limit = 10 });
                    return result.Records.Count + PapyraExitCodes.Success;
                }
            }
            """);

    [Fact]
    public Task Accepts_runtime_use_in_an_ordinary_project() =>
        Verify<ToolDependencyAnalyzer>.AnalyzerAsync(UsesRuntime.Replace("{|PAP0003:", string.Empty, StringComparison.Ordinal).Replace("|}", string.Empty, StringComparison.Ordinal), new TestProject { PapyraToolProperty = "false" });
}
