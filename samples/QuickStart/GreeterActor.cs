namespace Papyra.Samples.QuickStart;

/// <summary>Answers greetings; shows an asynchronous handler.</summary>
[Actor]
internal sealed partial class GreeterActor : Actor
{
    private int _greeted;

    public async Task<string> GreetAsync(Greet message)
    {
        await Task.Yield();
        _greeted++;
        return $"Hello, {message.Name}! (greeting #{_greeted} from {Context.Self.Address})";
    }
}
