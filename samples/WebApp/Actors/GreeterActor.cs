namespace Papyra.Samples.WebApp.Actors;

/// <summary>Counts greetings per name and answers with the count; a name of "crash" makes it fail so supervision restarts it.</summary>
internal sealed class GreeterActor : Actor
{
    private readonly Dictionary<string, int> _greetings = new(StringComparer.Ordinal);

    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        if (message is not Greet greet)
        {
            return Unhandled(message);
        }

        if (greet.Name == "crash")
        {
            throw new InvalidOperationException("Asked to crash: the supervisor restarts the greeter with fresh state.");
        }

        int count = _greetings[greet.Name] = _greetings.GetValueOrDefault(greet.Name) + 1;
        return new ValueTask<object?>(new Greeting($"Hello, {greet.Name}!", count));
    }
}

/// <summary>Asks the greeter to greet someone.</summary>
/// <param name="Name">Who to greet.</param>
internal sealed record Greet(string Name);

/// <summary>The greeter's answer.</summary>
/// <param name="Message">The greeting.</param>
/// <param name="Count">How often this name was greeted since the greeter (re)started.</param>
internal sealed record Greeting(string Message, int Count);
