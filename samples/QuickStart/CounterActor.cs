namespace Papyra.Samples.QuickStart;

/// <summary>
/// Keeps a running total. Its state lives in a field: a restart starts again from zero.
/// The source generator writes its message dispatch and its typed proxy, <c>CounterActorRef</c>.
/// </summary>
[Actor]
internal sealed partial class CounterActor : Actor
{
    private int _total;

    public void Add(Add message) => _total += message.Amount;

    public int Total(GetTotal message) => _total;

    public int Fail(Fail message) => throw new InvalidOperationException(message.Why);
}
