using Papyra;

namespace PapyraBenchmarks;

/// <summary>Counts messages; the benchmark thread spins on the count, so nothing else allocates.</summary>
internal sealed class CountingActor(CountingActor.Counter counter) : Actor
{
    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        Volatile.Write(ref counter.Value, counter.Value + 1);
        return default;
    }

    public sealed class Counter
    {
        public long Value;
    }
}

/// <summary>Replies with the message itself.</summary>
internal sealed class EchoActor : Actor
{
    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => new(message);
}

/// <summary>Bounces a message to its partner until a count is reached.</summary>
internal sealed class BouncerActor : Actor
{
    public ActorRef? Partner { get; set; }

    public CountingActor.Counter Counter { get; } = new();

    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        long next = Counter.Value + 1;
        Volatile.Write(ref Counter.Value, next);
        if (message is Bounce bounce && next < bounce.Until)
        {
            Partner!.Tell(message);
        }

        return default;
    }
}

/// <summary>A ping-pong message that says when to stop.</summary>
internal sealed class Bounce
{
    public long Until;
}
