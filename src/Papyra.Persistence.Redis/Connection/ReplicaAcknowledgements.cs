using System.Net;
using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Connection;

/// <summary>
/// Group commit for replicated durability: one <c>WAIT</c> covers every write sent before it on the
/// connection to that master, so while one <c>WAIT</c> is in flight the appends sent meanwhile share the
/// next one, issued when it returns. Pipelined appends then cost one replica round trip per group, not
/// one per append.
/// </summary>
internal sealed class ReplicaAcknowledgements(IConnectionMultiplexer connection, IDatabase database, RedisKey key, int replicas, TimeSpan timeout)
{
    private readonly Lock _gate = new();
    private readonly long _timeoutMilliseconds = (long)timeout.TotalMilliseconds;
    private TaskCompletionSource<long>? _next;
    private bool _inFlight;

    /// <summary>
    /// Called right after an append's <c>XADD</c> was queued: completes with the number of replicas that
    /// acknowledged a <c>WAIT</c> sent after it on the same connection.
    /// </summary>
    public Task<long> AfterWrite()
    {
        lock (_gate)
        {
            if (!_inFlight)
            {
                _inFlight = true;
                return Issue();
            }

            _next ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }
    }

    // Called under the gate: the WAIT is queued behind every XADD queued before this point.
    private Task<long> Issue()
    {
        Task<long> wait;
        try
        {
            EndPoint master = database.IdentifyEndpoint(key)
                ?? throw new RedisConnectionException(ConnectionFailureType.UnableToResolvePhysicalConnection, "No master serves the stream's slot.");
            wait = Count(connection.GetServer(master).ExecuteAsync("WAIT", replicas, _timeoutMilliseconds));
        }
        catch (Exception ex) when (RedisStreamsPersistenceBackend.IsRedisFailure(ex))
        {
            wait = Task.FromException<long>(ex);
        }

        _ = wait.ContinueWith(static (done, state) => ((ReplicaAcknowledgements)state!).Completed(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return wait;

        static async Task<long> Count(Task<RedisResult> wait) => (long)await wait.ConfigureAwait(false);
    }

    private void Completed()
    {
        TaskCompletionSource<long>? waiting;
        Task<long> next;
        lock (_gate)
        {
            waiting = _next;
            if (waiting is null)
            {
                _inFlight = false;
                return;
            }

            _next = null;
            next = Issue();
        }

        _ = next.ContinueWith(
            static (done, state) =>
            {
                var target = (TaskCompletionSource<long>)state!;
                if (done.IsCompletedSuccessfully)
                {
                    target.TrySetResult(done.Result);
                }
                else
                {
                    target.TrySetException(done.Exception!.InnerExceptions);
                }
            },
            waiting,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
