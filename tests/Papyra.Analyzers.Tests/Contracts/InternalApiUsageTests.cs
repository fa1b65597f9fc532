namespace Papyra.Analyzers.Tests.Contracts;

public sealed class InternalApiUsageTests
{
    [Fact]
    public Task Reports_PapyraInternal_members_and_types_and_internal_namespaces() =>
        Verify<InternalApiUsageAnalyzer>.AnalyzerAsync("""
            using Papyra;
            using Papyra.Fixtures.Internal;

            public static class Tool
            {
                public static int Peek(ActorRegistry registry, {|PAP0001:MailboxCore|} core)
                {
                    {|PAP0001:ActorCells|}.Reset();
                    var total = {|PAP0001:ActorCells|}.Count + registry.{|PAP0001:Orphans|} + core.{|PAP0001:Depth|};
                    var name = nameof({|PAP0001:ActorCells|});
                    var fresh = new {|PAP0001:MailboxCore|}();
                    {|PAP0001:MailboxCore|} implicitNew = {|PAP0001:new()|};
                    return total + registry.Count + name.Length;
                }
            }
            """);

    [Fact]
    public Task Accepts_the_public_API() =>
        Verify<InternalApiUsageAnalyzer>.AnalyzerAsync("""
            using Papyra;
            using Papyra.Persistence;

            public static class Tool
            {
                public static long Count(ActorRegistry registry, PersistenceMetricsSnapshot snapshot) =>
                    registry.Count + snapshot.RecordsWritten + ActorAddress.Parse("local:1").Id;
            }
            """);

    [Fact]
    public Task Papyra_assemblies_may_use_internal_APIs() =>
        Verify<InternalApiUsageAnalyzer>.AnalyzerAsync("""
            using Papyra;
            using Papyra.Fixtures.Internal;

            public static class Hosting
            {
                public static int Peek(MailboxCore core) => ActorCells.Count + core.Depth;
            }
            """, new TestProject { AssemblyName = "Papyra.Hosting" });
}
