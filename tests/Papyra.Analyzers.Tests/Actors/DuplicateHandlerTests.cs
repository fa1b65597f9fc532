namespace Papyra.Analyzers.Tests.Actors;

public sealed class DuplicateHandlerTests
{
    [Fact]
    public Task Reports_the_second_handler_of_the_same_message_type() =>
        Verify<DuplicateHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public void Handle(Increment message) { }
                public Task {|PAP1004:HandleAsync|}(Increment message, CancellationToken cancellationToken) => Task.CompletedTask;
                public int {|PAP1004:Count|}(Increment message) => 0;
            }
            """);

    [Fact]
    public Task Accepts_one_handler_per_message_type_and_overloads_of_other_types() =>
        Verify<DuplicateHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);
            public sealed record Decrement(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public void Handle(Increment message) { }
                public void Handle(Decrement message) { }
                private void Handle(string message) { }
            }
            """);
}
