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
}
