using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Papyra.Cli.Rendering;

/// <summary>
/// Reads a listing's records ahead on another thread, in batches, while the caller writes the ones
/// already read: reading (parsing lines) and writing (formatting JSON or text) then overlap instead
/// of taking turns. At most <c>Depth</c> batches wait, so memory stays bounded. Not for follows: a
/// followed record must be printed as soon as it is read, not once a batch is full.
/// </summary>
internal static class ReadAhead
{
    private const int BatchSize = 512;
    private const int Depth = 4;

    public static async IAsyncEnumerable<T> Batched<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batches = Channel.CreateBounded<T[]>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(() => ProduceAsync(source, batches.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await NextAsync(batches.Reader, producer, cancellationToken).ConfigureAwait(false) is { } batch)
            {
                foreach (T item in batch)
                {
                    yield return item;
                }
            }
        }
        finally
        {
            // The consumer stopped (done, failed or cancelled): stop reading ahead and wait for it.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already surfaced by NextAsync, or a cancellation caused by the consumer's stop.
            }
        }
    }

    // The next batch, or null at the end; a failed read surfaces here with its own exception.
    private static async ValueTask<T[]?> NextAsync<T>(ChannelReader<T[]> reader, Task producer, CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            more = false; // completed with the producer's exception: rethrown below, as it was thrown
        }

        if (more && reader.TryRead(out T[]? batch))
        {
            return batch;
        }

        await producer.ConfigureAwait(false);
        return null;
    }

    private static async Task ProduceAsync<T>(IAsyncEnumerable<T> source, ChannelWriter<T[]> writer, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<T>(BatchSize);
            await foreach (T item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch.Add(item);
                if (batch.Count == BatchSize)
                {
                    await writer.WriteAsync([.. batch], cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync([.. batch], cancellationToken).ConfigureAwait(false);
            }

            writer.Complete();
        }
        catch (Exception exception)
        {
            writer.Complete(exception);
            throw;
        }
    }
}
