using Papyra.Mailboxes;

namespace Papyra.Runtime.Tests.Mailboxes;

public sealed class MessageQueueTests
{
    [Fact]
    public void Empty_queue_has_nothing_to_dequeue()
    {
        var queue = new MessageQueue();
        Assert.False(queue.HasItems);
        Assert.False(queue.TryDequeue(out _, out _));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Single_producer_order_is_kept_across_segment_growth()
    {
        var queue = new MessageQueue();
        object extra = new();
        for (int i = 0; i < 5000; i++)
        {
            queue.Enqueue(i, i % 2 == 0 ? extra : null);
        }

        Assert.Equal(5000, queue.Count);
        for (int i = 0; i < 5000; i++)
        {
            Assert.True(queue.TryDequeue(out object? message, out object? carried));
            Assert.Equal(i, message);
            Assert.Equal(i % 2 == 0 ? extra : null, carried);
        }

        Assert.False(queue.HasItems);
    }

    [Fact]
    public void Ring_is_reused_when_the_consumer_keeps_up()
    {
        var queue = new MessageQueue();
        queue.Enqueue(0, null);
        queue.TryDequeue(out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            queue.Enqueue(queue, null);
            queue.TryDequeue(out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_and_keep_their_own_order()
    {
        var queue = new MessageQueue();
        const int Producers = 8;
        const int PerProducer = 50_000;
        var last = new int[Producers];
        Array.Fill(last, -1);
        int received = 0;
        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                queue.Enqueue((p, i), null);
            }
        })).ToArray();

        var consumer = Task.Run(() =>
        {
            var spinner = new SpinWait();
            while (received < Producers * PerProducer)
            {
                if (queue.TryDequeue(out object? message, out _))
                {
                    var (p, i) = ((int, int))message!;
                    Assert.Equal(last[p] + 1, i);
                    last[p] = i;
                    received++;
                }
                else
                {
                    spinner.SpinOnce();
                }
            }
        });

        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(60));
        await consumer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(Producers * PerProducer, received);
        Assert.All(last, l => Assert.Equal(PerProducer - 1, l));
    }
}
