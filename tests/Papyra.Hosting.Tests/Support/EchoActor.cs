namespace Papyra.Hosting.Tests.Support;

/// <summary>Replies with the message it receives; throws on <c>"boom"</c> so supervision restarts it.</summary>
public sealed class EchoActor : Actor
{
    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
        => message is "boom" ? throw new InvalidOperationException("boom") : new(message);
}
