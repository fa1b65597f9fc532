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

    [Fact]
    public Task Reports_handlers_whose_message_types_the_dispatch_cannot_tell_apart() =>
        Verify<DuplicateHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            [Actor]
            public sealed partial class Counter : Actor
            {
                public void Count(int message) { }
                public void {|PAP1004:CountMaybe|}(int? message) { }
                public void Pair((int A, int B) message) { }
                public void {|PAP1004:OtherPair|}((int X, int Y) message) { }
                public void Text(string message) { }
                public void {|PAP1004:MaybeText|}(string? message) { }
            }
            """);
}
