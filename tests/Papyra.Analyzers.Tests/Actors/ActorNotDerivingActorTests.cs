namespace Papyra.Analyzers.Tests.Actors;

public sealed class ActorNotDerivingActorTests
{
    [Fact]
    public Task Reports_an_actor_class_that_does_not_derive_from_Actor() =>
        Verify<ActorNotDerivingActorAnalyzer>.AnalyzerAsync(Sources.Usings + """
            [Actor]
            public sealed partial class {|PAP1002:Counter|}
            {
            }
            """);

    [Fact]
    public Task Accepts_direct_and_indirect_Actor_subclasses() =>
        Verify<ActorNotDerivingActorAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public abstract class CountingActor : Actor { }

            [Actor]
            public sealed partial class Counter : Actor { }

            [Actor]
            public sealed partial class Tally : CountingActor { }
            """);
}
