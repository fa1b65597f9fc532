namespace Papyra.Generators.Tests.Actors;

/// <summary>Representative actors the snapshot and behaviour tests feed the generator.</summary>
internal static class ActorSources
{
    /// <summary>Every handler shape (void, T, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;, with and without a token) plus methods that are not handlers.</summary>
    public const string AllHandlerShapes = """
        using System.Threading;
        using System.Threading.Tasks;
        using Papyra;

        namespace Shop;

        public sealed record Increment(int By);
        public sealed record GetCount;
        public sealed record Reset;
        public sealed record Save(string Path);
        public sealed record Ping;
        public sealed record Describe;

        [Actor]
        public sealed partial class Counter : Actor
        {
            private int _count;

            public void Increment(Increment message) => _count += message.By;

            public int Get(GetCount message) => _count;

            public Task ResetAsync(Reset message, CancellationToken cancellationToken)
            {
                _count = 0;
                return Task.CompletedTask;
            }

            public async Task<long> SaveAsync(Save message)
            {
                await Task.Yield();
                return _count;
            }

            public ValueTask PingAsync(Ping message) => default;

            public ValueTask<string?> DescribeAsync(Describe message, CancellationToken cancellationToken) => new($"count={_count}");

            public void NotAHandlerWithoutMessage() { }

            public void NotAHandlerWithTwoMessages(Increment first, Reset second) { }

            public void NotAHandlerGeneric<T>(T message) { }

            public void NotAHandlerByRef(ref int message) { }

            public void NotAHandlerTokenFirst(CancellationToken cancellationToken) { }

            internal void NotAHandlerInternal(Increment message) { }

            public static void NotAHandlerStatic(Increment message) { }

            public override string ToString() => "Counter";
        }
        """;

    /// <summary>A message hierarchy declared least specific first: the most specific handler must still win.</summary>
    public const string MessageHierarchy = """
        using Papyra;

        namespace Shapes.Messages
        {
            public interface IShape { }
            public abstract record Shape : IShape;
            public record Circle(double Radius) : Shape;
            public sealed record UnitCircle() : Circle(1);
            public sealed record Square(double Side) : Shape;
        }

        namespace Shapes
        {
            using Shapes.Messages;

            [Actor]
            public sealed partial class ShapeActor : Actor
            {
                public string Anything(object message) => "object";

                public string AnyShape(IShape message) => "IShape";

                public string Shape(Shape message) => "Shape";

                public string Circle(Circle message) => "Circle";

                public string Unit(UnitCircle message) => "UnitCircle";

                public int Number(int message) => message;
            }
        }
        """;

    /// <summary>A generic actor with constraints, a nested actor in the global namespace and an internal one.</summary>
    public const string GenericAndNested = """
        using System.Collections.Generic;
        using Papyra;

        public sealed record CountItems;

        [Actor]
        public partial class Store<TItem> : Actor
            where TItem : class, new()
        {
            private readonly List<TItem> _items = new();

            public void Put(TItem item) => _items.Add(item);

            public int Count(CountItems message) => _items.Count;
        }

        public static partial class Outer
        {
            [Actor]
            internal sealed partial class Inner : Actor
            {
                public bool Handle(string text) => text.Length > 0;
            }
        }
        """;

    /// <summary>A derived actor whose base actor dispatches too: unmatched messages go to the base.</summary>
    public const string DerivedActor = """
        using Papyra;

        namespace Greetings;

        public sealed record Hello(string Name);
        public sealed record Shout(string Text);

        [Actor]
        public partial class Greeter : Actor
        {
            public string Greet(Hello message) => $"Hello, {message.Name}";
        }

        [Actor]
        public sealed partial class LoudGreeter : Greeter
        {
            public string Shout(Shout message) => message.Text.ToUpperInvariant();
        }
        """;
}
