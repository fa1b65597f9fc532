namespace Papyra.Analyzers.Tests.Actors;

public sealed class InvalidHandlerTests
{
    [Fact]
    public Task Reports_public_methods_that_do_not_have_a_handler_shape() =>
        Verify<InvalidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public void {|PAP1003:Reset|}() { }
                public void {|PAP1003:Add|}(Increment a, Increment b) { }
                public void {|PAP1003:Generic|}<T>(T message) { }
                public void {|PAP1003:ByRef|}(ref Increment message) { }
                public Task {|PAP1003:TokenFirst|}(CancellationToken cancellationToken, Increment message) => Task.CompletedTask;
                public void {|PAP1003:Extra|}(Increment message, CancellationToken cancellationToken, int extra) { }
            }
            """);

    [Fact]
    public Task Accepts_every_handler_shape_of_the_spec_and_non_handler_members() =>
        Verify<InvalidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record A; public sealed record B; public sealed record C; public sealed record D; public sealed record E; public sealed record F;

            [Actor]
            public sealed partial class Counter : Actor, IDisposable
            {
                public void OnA(A message) { }
                public int OnB(B message) => 1;
                public Task OnC(C message, CancellationToken cancellationToken) => Task.CompletedTask;
                public Task<int> OnD(D message) => Task.FromResult(1);
                public ValueTask OnE(E message) => default;
                public ValueTask<string> OnF(F message, CancellationToken cancellationToken) => new("f");

                protected override ValueTask OnStartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
                public void Dispose() { }
                public static Counter Create() => throw new NotSupportedException();
                private void Helper() { }
                internal void Internal(int a, int b) { }
            }

            public sealed class NotMarked : Actor
            {
                public void Anything(int a, int b) { }
            }
            """);

    [Fact]
    public Task Reports_message_and_reply_types_the_generated_dispatch_cannot_handle() =>
        Verify<InvalidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            [Actor]
            public sealed unsafe partial class Counter : Actor
            {
                public void {|PAP1003:OnSpan|}(Span<int> message) { }
                public void {|PAP1003:OnDynamic|}(dynamic message) { }
                public void {|PAP1003:OnPointer|}(int* message) { }
                public void {|PAP1003:OnNullableToken|}(CancellationToken? message) { }
                public Span<int> {|PAP1003:ReturnsSpan|}(Increment message) => default;
                public dynamic {|PAP1003:ReturnsDynamic|}(Increment message) => 1;
                public Task<dynamic> {|PAP1003:ReturnsTaskOfDynamic|}(Increment message) => Task.FromResult<dynamic>(1);
            }
            """);

    [Fact]
    public Task Accepts_nullable_value_type_and_tuple_messages_which_the_generator_dispatches() =>
        Verify<InvalidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public readonly record struct Reading(double Value);

            [Actor]
            public sealed partial class Gauge : Actor
            {
                public void OnCount(int? message) { }
                public void OnReading(Reading? message, CancellationToken cancellationToken) { }
                public void OnPair((string Name, int Value) message) { }
            }
            """);

    [Fact]
    public Task Checks_an_override_of_a_plain_base_method_but_not_of_a_base_actor_handler_or_object() =>
        Verify<InvalidHandlerAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);

            public class PlainBase : Actor
            {
                public virtual void Reset() { }
            }

            [Actor]
            public sealed partial class Counter : PlainBase
            {
                public override void {|PAP1003:Reset|}() { }
                public override string ToString() => "counter";
            }

            [Actor]
            public partial class BaseCounter : Actor
            {
                public virtual void Handle(Increment message) { }
            }

            [Actor]
            public sealed partial class DerivedCounter : BaseCounter
            {
                public override void Handle(Increment message) { }
            }
            """);
}
