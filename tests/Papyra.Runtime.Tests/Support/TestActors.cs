using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Papyra.Runtime.Tests.Support;

/// <summary>Messages the test actors understand.</summary>
public sealed record Increment;

public sealed record GetCount;

public sealed record Boom(string Text = "boom");

public sealed record Echo(object Value);

/// <summary>Counts increments; fails on <see cref="Boom"/>. Its count resets on restart.</summary>
public sealed class CounterActor : Actor
{
    private int _count;

    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Increment:
                _count++;
                return new ValueTask<object?>(_count);
            case GetCount:
                return new ValueTask<object?>(_count);
            case Boom boom:
                throw new InvalidOperationException(boom.Text);
            case Echo echo:
                return new ValueTask<object?>(echo.Value);
            default:
                return Unhandled(message);
        }
    }
}

/// <summary>Records every message it receives into a shared sink.</summary>
public sealed class RecordingActor(ConcurrentQueue<object> sink, TaskCompletionSource? gate = null) : Actor
{
    protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        if (gate is not null && message is string { Length: > 0 } text && text == "wait")
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        sink.Enqueue(message);
        return message;
    }
}

/// <summary>Holds its turn until a gate opens: keeps messages queued behind it.</summary>
public sealed class GatedActor(TaskCompletionSource entered, TaskCompletionSource gate, ConcurrentQueue<object>? sink = null) : Actor
{
    protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        if (message is "block")
        {
            entered.TrySetResult();
            await gate.Task;
        }

        sink?.Enqueue(message);
        return message;
    }
}

/// <summary>A parent that spawns one child in OnStartAsync and answers OnChildFailure with a fixed decision.</summary>
public sealed class DecidingParent(SupervisorDecision? decision, Func<Actor> childFactory, SupervisionPolicy? childPolicy = null, string? childName = null, ConcurrentQueue<string>? consulted = null) : Actor
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Context.SpawnChild(childFactory, childName, childPolicy);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        => message switch
        {
            "child" => new ValueTask<object?>(Context.Children[0]),
            "children" => new ValueTask<object?>(Context.Children),
            _ => Unhandled(message),
        };

    protected override SupervisorDecision? OnChildFailure(ActorRef child, Exception exception)
    {
        consulted?.Enqueue(exception.Message);
        return decision;
    }
}

/// <summary>Watches an actor it is told about and reports every Terminated it receives.</summary>
public sealed class WatcherActor(ConcurrentQueue<ActorAddress> terminated, TaskCompletionSource<ActorAddress>? first = null) : Actor
{
    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ("watch", ActorRef target):
                Context.Watch(target);
                return new ValueTask<object?>("watching");
            case ("unwatch", ActorRef target):
                Context.Unwatch(target);
                return new ValueTask<object?>("unwatched");
            case Terminated t:
                terminated.Enqueue(t.Actor.Address);
                first?.TrySetResult(t.Actor.Address);
                return default;
            default:
                return new ValueTask<object?>(message);
        }
    }
}

/// <summary>Fails in OnStartAsync with a specific exception type.</summary>
public sealed class FailingStartActor(StrongBox<int> starts) : Actor
{
    protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref starts.Value);
        throw new FormatException("bad configuration value 'x'");
    }
}

/// <summary>Does not handle anything.</summary>
public sealed class SilentActor : Actor
{
}
