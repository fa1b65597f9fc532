namespace Papyra.Generators.Tests.Actors.Running;

public sealed record Add(int Amount);
public sealed record Total;
public sealed record Clear;
public sealed record Snapshot(string Label);
public sealed record Touch;
public sealed record Describe;
public sealed record Fail(string Reason);
public sealed record Nobody;
public sealed record Reject(string Reason);

/// <summary>Every handler shape, run for real through generated dispatch.</summary>
[Actor]
public sealed partial class Tally : Actor
{
    private int _total;

    public int Touches { get; private set; }

    public void Add(Add message) => _total += message.Amount;

    public int Get(Total message) => _total;

    public async Task ClearAsync(Clear message, CancellationToken cancellationToken)
    {
        await Task.Yield();
        _total = 0;
    }

    public async Task<string> SnapshotAsync(Snapshot message)
    {
        await Task.Delay(1).ConfigureAwait(false);
        return $"{message.Label}={_total}";
    }

    public ValueTask TouchAsync(Touch message)
    {
        Touches++;
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> DescribeAsync(Describe message, CancellationToken cancellationToken) => new(Touches);

    public int Explode(Fail message) => throw new InvalidOperationException(message.Reason);

    public async Task RejectAsync(Reject message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message.Reason);
    }
}

public interface IShape;
public abstract record Shape : IShape;
public record Circle(double Radius) : Shape;
public sealed record UnitCircle() : Circle(1);
public sealed record Square(double Side) : Shape;
public sealed record Triangle : IShape;

/// <summary>Handlers declared least specific first: the most specific must still win.</summary>
[Actor]
public sealed partial class Classifier : Actor
{
    public string Anything(object message) => "object";

    public string AnyShape(IShape message) => "IShape";

    public string OneShape(Shape message) => "Shape";

    public string OneCircle(Circle message) => "Circle";

    public string Unit(UnitCircle message) => "UnitCircle";
}

/// <summary>Handles only one message type: everything else is unhandled.</summary>
[Actor]
public sealed partial class Picky : Actor
{
    public string Accept(Add message) => "accepted";
}

public sealed record Hello(string Name);
public sealed record Shout(string Text);

[Actor]
public partial class Greeter : Actor
{
    public string Greet(Hello message) => $"Hello, {message.Name}";
}

/// <summary>Derives a dispatching actor: its own handlers first, then its base's.</summary>
[Actor]
public sealed partial class LoudGreeter : Greeter
{
    public string Shout(Shout message) => message.Text.ToUpperInvariant();
}

public sealed record Item(string Name);
public sealed record CountItems;

/// <summary>A generic actor with constraints.</summary>
[Actor]
public sealed partial class Shelf<TItem> : Actor
    where TItem : class
{
    private readonly List<TItem> _items = [];

    public void Put(TItem item) => _items.Add(item);

    public int Count(CountItems message) => _items.Count;
}

public static partial class Workshop
{
    /// <summary>A nested actor.</summary>
    [Actor]
    public sealed partial class Bench : Actor
    {
        public string Work(Hello message) => "working for " + message.Name;
    }
}

public readonly record struct Reading(double Value);

/// <summary>
/// Message shapes the generator once skipped silently (every such message was a dead letter): nullable value
/// types, dispatched on their underlying type, and tuples, matched as <c>ValueTuple</c> types.
/// </summary>
[Actor]
public sealed partial class Gauge : Actor
{
    public string Count(int? message) => "int " + message;

    public string Read(Reading? message) => "reading " + message?.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Pair((string Name, int Value) message) => message.Name + "=" + message.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
