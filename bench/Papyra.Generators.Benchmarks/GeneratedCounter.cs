namespace Papyra.Generators.Benchmarks;

/// <summary>Eight handlers dispatched by the generated switch.</summary>
[Actor]
public sealed partial class GeneratedCounter : Actor
{
    private long _total;
    private string _name = string.Empty;
    private string _tag = string.Empty;
    private bool _flag;

    public long Total => _total;

    public void Increment(Increment message) => _total += message.By;

    public void Decrement(Decrement message) => _total -= message.By;

    public void Reset(Reset message) => _total = 0;

    public ValueTask Touch(Touch message)
    {
        _total++;
        return ValueTask.CompletedTask;
    }

    public void Rename(Rename message) => _name = message.Name;

    public void Tag(Tag message) => _tag = message.Value;

    public void Flag(Flag message) => _flag = message.On;

    public void Sync(Sync message)
    {
    }

    public long Get(GetTotal message) => _total + _name.Length + _tag.Length + (_flag ? 1 : 0);

    /// <summary>Calls the receive path directly, outside any actor system (the benchmark measures dispatch alone). Internal: a public one-parameter method would be a handler.</summary>
    internal ValueTask<object?> Dispatch(object message) => ReceiveAsync(message, CancellationToken.None);
}
