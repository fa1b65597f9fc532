namespace Papyra.Analyzers.Tests.Actors;

public sealed class MutableMessageTests
{
    [Fact]
    public Task Reports_message_types_with_setters_or_writable_fields() =>
        Verify<MutableMessageAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed class Settable { public int Count { get; set; } }
            public sealed class WithField { public int Count; }
            public class MutableBase { public string Name { get; set; } = ""; }
            public sealed class Derived : MutableBase { }
            public record struct Point(int X, int Y);
            public sealed record Batch(List<int> Items);
            public sealed record Lookup(Dictionary<string, int> ByName);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public void A({|PAP1008:Settable|} message) { }
                public void B({|PAP1008:WithField|} message, CancellationToken cancellationToken) { }
                public void C({|PAP1008:Derived|} message) { }
                public void D({|PAP1008:Point|} message) { }
                public void E({|PAP1008:Batch|} message) { }
                public void F({|PAP1008:Lookup|} message) { }
            }
            """);

    [Fact]
    public Task Accepts_records_init_only_readonly_and_BCL_messages() =>
        Verify<MutableMessageAnalyzer>.AnalyzerAsync(Sources.Usings + """
            public sealed record Increment(int By);
            public sealed class InitOnly { public int Count { get; init; } private int _cache; public int Cache => _cache; }
            public sealed class ReadOnlyFields { public readonly int Count; public const int Max = 3; public static int Shared; }
            public readonly record struct Point(int X, int Y);
            public sealed class PrivateSetter { public int Count { get; private set; } }
            public sealed record ReadOnlyBatch(IReadOnlyList<int> Items, byte[] Payload, System.Collections.Immutable.ImmutableArray<string> Names);

            [Actor]
            public sealed partial class Counter : Actor
            {
                public void A(Increment message) { }
                public void B(InitOnly message) { }
                public void C(ReadOnlyFields message) { }
                public void D(Point message) { }
                public void E(PrivateSetter message) { }
                public void F(string message) { }
                public void G(int message) { }
                public void H(List<int> message) { }
                public void I(ReadOnlyBatch message) { }
                private void NotAHandler(InitOnly message, Settable other) { }
            }

            public sealed class Settable { public int Count { get; set; } }
            """);
}
