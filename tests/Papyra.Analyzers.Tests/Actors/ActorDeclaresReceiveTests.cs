namespace Papyra.Analyzers.Tests.Actors;

public sealed class ActorDeclaresReceiveTests
{
    [Fact]
    public Task Reports_an_actor_with_a_hand_written_ReceiveAsync() =>
        Verify<ActorDeclaresReceiveAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class {|PAP1010:Counter|} : Actor
            {
                public void Handle(Increment message) { }

                protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => Unhandled(message);
            }
            """);

    [Fact]
    public Task Accepts_hand_written_dispatch_without_Actor_and_generated_dispatch_with_it() =>
        Verify<ActorDeclaresReceiveAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            public sealed class ByHand : Actor
            {
                protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => Unhandled(message);
            }

            [Actor]
            public sealed partial class Generated : Actor
            {
                public void Handle(Increment message) { }
            }
            """);
}
