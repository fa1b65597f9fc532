namespace Papyra.Persistence.Reading;

/// <summary>
/// A synchronous sequence (file reads are synchronous) offered as an <see cref="IAsyncEnumerable{T}"/>
/// without an async state machine per item: the first step yields the caller's thread once, then
/// every step completes synchronously. A streamed store yields millions of items, and an async
/// iterator around the synchronous one costs more per item than building the item.
/// </summary>
/// <typeparam name="T">The items.</typeparam>
internal sealed class SynchronousAsyncEnumerable<T>(Func<CancellationToken, IEnumerable<T>> source, CancellationToken cancellationToken) : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken1 = default)
    {
        if (!cancellationToken1.CanBeCanceled || cancellationToken1 == cancellationToken)
        {
            return new Enumerator(source, cancellationToken, linked: null);
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return new Enumerator(source, cancellationToken1, linked: null);
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancellationToken1);
        return new Enumerator(source, linked.Token, linked);
    }

    private sealed class Enumerator(Func<CancellationToken, IEnumerable<T>> source, CancellationToken cancellationToken, CancellationTokenSource? linked) : IAsyncEnumerator<T>
    {
        private IEnumerator<T>? _inner;

        public T Current => _inner is null ? default! : _inner.Current;

        public ValueTask<bool> MoveNextAsync()
            => _inner is null ? FirstAsync() : new ValueTask<bool>(_inner.MoveNext());

        public ValueTask DisposeAsync()
        {
            _inner?.Dispose();
            linked?.Dispose();
            return ValueTask.CompletedTask;
        }

        private async ValueTask<bool> FirstAsync()
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            _inner = source(cancellationToken).GetEnumerator();
            return _inner.MoveNext();
        }
    }
}
