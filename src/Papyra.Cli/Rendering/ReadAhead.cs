using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Papyra.Cli.Rendering;

/// <summary>
/// Reads a listing's records ahead on a thread of its own, in batches, while the caller writes the
/// ones already read: reading (parsing lines) and writing (formatting JSON or text) then overlap
/// instead of taking turns. At most <c>Depth</c> batches wait, so memory stays bounded. Not for
/// follows: a followed record must be printed as soon as it is read, not once a batch is full.
/// </summary>
/// <remarks>
/// Both sides block (a bounded <see cref="BlockingCollection{T}"/>) rather than await: with awaits each
/// hand-over woke a pool thread, and idle pool threads spinning for work cost about as much CPU as
/// the formatting itself.
/// </remarks>
internal static class ReadAhead
{
    private const int BatchSize = 512;
    private const int Depth = 4;

    public static async IAsyncEnumerable<T> Batched<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = new Reader<T>(source, cancellationToken);
        try
        {
            while (reader.Batches.TryTake(out T[]? batch, Timeout.Infinite, cancellationToken))
            {
                foreach (T item in batch)
                {
                    yield return item;
                }
            }

            // Every batch read before a failure was yielded; the failure surfaces as it was thrown.
            if (reader.Failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            // The consumer stopped (done, failed or cancelled): stop reading ahead and wait until the
            // source is disposed.
            await reader.StopAsync().ConfigureAwait(false);
        }
    }

    private sealed class Reader<T>
    {
        private readonly IAsyncEnumerable<T> _source;
        private readonly CancellationTokenSource _stop;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Reader(IAsyncEnumerable<T> source, CancellationToken cancellationToken)
        {
            _source = source;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            new Thread(Produce) { IsBackground = true, Name = "papyra read-ahead" }.Start();
        }

        public BlockingCollection<T[]> Batches { get; } = new(Depth);

        public Exception? Failure { get; private set; }

        public async Task StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _done.Task.ConfigureAwait(false);
            _stop.Dispose();
            Batches.Dispose();
        }

        private static TResult Wait<TResult>(ValueTask<TResult> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

        private static void Wait(ValueTask pending)
        {
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }

        private void Produce()
        {
            CancellationToken stop = _stop.Token;
            try
            {
                IAsyncEnumerator<T> items = _source.GetAsyncEnumerator(stop);
                try
                {
                    var batch = new List<T>(BatchSize);
                    while (Wait(items.MoveNextAsync()))
                    {
                        batch.Add(items.Current);
                        if (batch.Count == BatchSize)
                        {
                            Batches.Add([.. batch], stop);
                            batch.Clear();
                        }
                    }

                    if (batch.Count > 0)
                    {
                        Batches.Add([.. batch], stop);
                    }
                }
                finally
                {
                    Wait(items.DisposeAsync());
                }
            }
            catch (Exception exception) when (!stop.IsCancellationRequested)
            {
                Failure = exception;
            }
            catch (Exception)
            {
                // Stopped by the consumer: nothing to report.
            }
            finally
            {
                Batches.CompleteAdding();
                _done.TrySetResult();
            }
        }
    }
}
