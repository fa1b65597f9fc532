namespace Papyra.Generators.Benchmarks;

/// <summary>The same actor with the switch a careful person would write by hand: the baseline.</summary>
public sealed class HandWrittenCounter : Actor
{
    private long _total;
    private string _name = string.Empty;
    private string _tag = string.Empty;
    private bool _flag;

    public long Total => _total;

    internal ValueTask<object?> Dispatch(object message) => ReceiveAsync(message, CancellationToken.None);

    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Increment increment:
                _total += increment.By;
                return default;
            case Decrement decrement:
                _total -= decrement.By;
                return default;
            case Reset:
                _total = 0;
                return default;
            case Touch:
                _total++;
                return default;
            case Rename rename:
                _name = rename.Name;
                return default;
            case Tag tag:
                _tag = tag.Value;
                return default;
            case Flag flag:
                _flag = flag.On;
                return default;
            case Sync:
                return default;
            case GetTotal:
                return new ValueTask<object?>(_total + _name.Length + _tag.Length + (_flag ? 1 : 0));
            default:
                return Unhandled(message);
        }
    }
}
