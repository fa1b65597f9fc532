namespace ActorComparison;

/// <summary>Completes a task when it has been signalled a given number of times, from any thread.</summary>
internal sealed class Countdown(long count)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _remaining = count;

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }

    public static async Task<long> HeapAfterCollectAsync()
    {
        await Task.Yield();
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
