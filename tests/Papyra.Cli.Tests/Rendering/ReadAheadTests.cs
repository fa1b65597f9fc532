using System.Runtime.CompilerServices;
using Papyra.Cli.Rendering;

namespace Papyra.Cli.Tests.Rendering;

public sealed class ReadAheadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Yields_every_item_in_order_across_batches()
    {
        var seen = new List<int>();
        await foreach (int item in ReadAhead.Batched(Numbers(5_000, failAt: null, started: null)))
        {
            seen.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 5_000), seen);
    }

    [Fact]
    public async Task A_failed_read_surfaces_with_its_own_exception_after_the_items_before_it()
    {
        var seen = new List<int>();
        var failure = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (int item in ReadAhead.Batched(Numbers(2_000, failAt: 1_300, started: null)))
            {
                seen.Add(item);
            }
        });

        Assert.Equal("item 1300 is damaged", failure.Message);
        Assert.Equal(Enumerable.Range(0, 1_024), seen.Take(1_024)); // the full batches before the failure
        Assert.True(seen.Count <= 1_300);
    }

    [Fact]
    public async Task Stopping_early_stops_the_reader_and_releases_it()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await foreach (int item in ReadAhead.Batched(Endless(released)))
        {
            if (item == 10)
            {
                break;
            }
        }

        await released.Task.WaitAsync(Wait); // the source's finally ran: it was cancelled and disposed
    }

    [Fact]
    public async Task Cancelling_the_listing_surfaces_as_a_cancellation_and_releases_the_reader()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int item in ReadAhead.Batched(Endless(released), cancel.Token))
            {
                seen++;
                if (item == 10)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        await released.Task.WaitAsync(Wait);
        Assert.True(seen >= 11);
    }

    private static async IAsyncEnumerable<int> Numbers(int count, int? failAt, TaskCompletionSource? started, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        started?.TrySetResult();
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i == failAt)
            {
                throw new InvalidDataException($"item {i} is damaged");
            }

            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> Endless(TaskCompletionSource released, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            await Task.Yield();
            for (int i = 0; ; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return i;
            }
        }
        finally
        {
            released.TrySetResult();
        }
    }
}
