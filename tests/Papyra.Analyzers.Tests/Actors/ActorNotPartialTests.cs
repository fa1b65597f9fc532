namespace Papyra.Analyzers.Tests.Actors;

public sealed class ActorNotPartialTests
{
    [Fact]
    public Task Reports_an_actor_class_that_is_not_partial() =>
        Verify<ActorNotPartialAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed class {|PAP1001:Counter|} : Actor
            {
                public void Handle(Increment message) { }
            }
            """);

    [Fact]
    public Task Reports_a_containing_type_that_is_not_partial() =>
        Verify<ActorNotPartialAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            public static class {|PAP1001:Shop|}
            {
                public partial class Inner
                {
                    [Actor]
                    public sealed partial class Counter : Actor
                    {
                        public void Handle(Increment message) { }
                    }
                }
            }
            """);

    [Fact]
    public Task Accepts_a_partial_actor_and_ignores_unmarked_classes() =>
        Verify<ActorNotPartialAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public void Handle(Increment message) { }
            }

            public sealed class NotAnActor : Actor { }
            """);

    [Fact]
    public Task Does_nothing_when_Papyra_is_not_referenced() =>
        Verify<ActorNotPartialAnalyzer>.AnalyzerAsync("""
            namespace Papyra { public sealed class ActorAttribute : System.Attribute { } }
            [Papyra.Actor] public sealed class Counter { }
            """, new TestProject { ReferencesAbstractions = false, ReferencesRuntime = false });

    [Fact]
    public Task Fix_adds_partial_after_the_other_modifiers() =>
        Verify<ActorNotPartialAnalyzer>.CodeFixAsync<CodeFixes.MakeActorPartialCodeFix>(
            Sources.Usings + """
            [Actor]
            public sealed class {|PAP1001:Counter|} : Actor
            {
            }
            """,
            Sources.Usings + """
            [Actor]
            public sealed partial class Counter : Actor
            {
            }
            """);

    [Fact]
    public Task Fix_adds_partial_to_a_class_without_modifiers() =>
        Verify<ActorNotPartialAnalyzer>.CodeFixAsync<CodeFixes.MakeActorPartialCodeFix>(
            Sources.Usings + """
            [Actor]
            class {|PAP1001:Counter|} : Actor
            {
            }
            """,
            Sources.Usings + """
            [Actor]
            partial class Counter : Actor
            {
            }
            """);
}
