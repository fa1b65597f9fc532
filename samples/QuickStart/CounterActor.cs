namespace Papyra.Samples.QuickStart;

/// <summary>Keeps a running total. Its state lives in a field: a restart starts again from zero.</summary>
internal sealed class CounterActor : Actor
{
    private int _total;

    protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Add add:
                _total += add.Amount;
                return new ValueTask<object?>(_total);
            case GetTotal:
                return new ValueTask<object?>(_total);
            case Fail fail:
                throw new InvalidOperationException(fail.Why);
            default:
                return Unhandled(message);
        }
    }
}
