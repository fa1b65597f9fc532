namespace Papyra.Samples.QuickStart;

/// <summary>Answers greetings; shows an asynchronous handler.</summary>
internal sealed class GreeterActor : Actor
{
    private int _greeted;

    protected override async ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        if (message is not Greet greet)
        {
            return await Unhandled(message);
        }

        await Task.Yield();
        _greeted++;
        return $"Hello, {greet.Name}! (greeting #{_greeted} from {Context.Self.Address})";
    }
}
