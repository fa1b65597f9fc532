using System.Collections.Concurrent;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>redis-server killed with SIGKILL mid-run and restarted on the same port (appendonly yes, appendfsync always).</summary>
public sealed class FaultToleranceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Killing_redis_mid_run_counts_failed_writes_resumes_after_restart_and_loses_nothing_acknowledged()
    {
        await using RedisServer server = await RedisServer.StartAsync(appendOnly: true);
        await using var backend = await RedisStreamsPersistenceBackend.ConnectAsync(server.Options());
        var acknowledged = new ConcurrentQueue<long>();
        long failed = 0;
        Exception? unexpected = null;
        using var stop = new CancellationTokenSource();

        // Stands in for the actor system's persistence calls: it must keep running through the outage.
        Task writer = Task.Run(async () =>
        {
            long sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                sequence++;
                try
                {
                    await backend.RecordEventAsync(Records.Event(sequence));
                    acknowledged.Enqueue(sequence);
                }
                catch (IOException)
                {
                    Interlocked.Increment(ref failed);
                    await Task.Delay(1);
                }
                catch (Exception ex)
                {
                    unexpected = ex;
                    return;
                }
            }
        });

        await Poll.UntilAsync(() => acknowledged.Count >= 200 || writer.IsCompleted, Timeout, "200 acknowledged writes before the kill");
        await server.KillAsync();
        await Poll.UntilAsync(() => Interlocked.Read(ref failed) >= 20 || writer.IsCompleted, Timeout, "writes to fail while Redis is down");
        long acknowledgedBeforeRestart = acknowledged.Count;
        await server.RestartAsync();
        await Poll.UntilAsync(() => acknowledged.Count >= acknowledgedBeforeRestart + 200 || writer.IsCompleted, Timeout, "writes to resume after the restart");
        await stop.CancelAsync();
        await writer;

        Assert.Null(unexpected);
        PersistenceMetricsSnapshot metrics = backend.GetMetricsSnapshot();
        Assert.Equal(Interlocked.Read(ref failed), metrics.WriteErrors);
        Assert.Equal(acknowledged.Count, metrics.RecordsWritten);
        Assert.True(metrics.WriteErrors >= 20);

        var stored = (await backend.ReadEventsAsync()).Records.Select(e => (long)e.Timestamp).ToHashSet();
        long[] lost = [.. acknowledged.Where(s => !stored.Contains(s))];
        Assert.True(lost.Length == 0, $"{lost.Length} acknowledged records were lost, e.g. {string.Join(", ", lost.Take(5))}.");
        Assert.True(backend.IsConnected);
    }

    [Fact]
    public async Task Reads_and_scans_while_redis_is_down_fail_with_io_errors_and_are_counted()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        await using var backend = await RedisStreamsPersistenceBackend.ConnectAsync(server.Options());
        await backend.RecordEventAsync(Records.Event(1));
        await server.KillAsync();

        await Poll.UntilAsync(() => !backend.IsConnected, Timeout, "the connection loss to be noticed");
        await Assert.ThrowsAsync<IOException>(async () => await backend.ReadEventsAsync());
        await Assert.ThrowsAsync<IOException>(async () => await backend.ScanAsync());
        await Assert.ThrowsAsync<IOException>(async () => await backend.RecordEventAsync(Records.Event(2)));

        PersistenceMetricsSnapshot metrics = backend.GetMetricsSnapshot();
        Assert.Equal(1, metrics.ReadErrors);
        Assert.Equal(1, metrics.ScanErrors);
        Assert.Equal(1, metrics.WriteErrors);
    }

    [Fact]
    public async Task An_outage_is_logged_once_then_its_end_and_no_log_or_error_shows_the_password()
    {
        const string Password = "hunter2-Sekrit";
        await using RedisServer server = await RedisServer.StartAsync(password: Password);
        var logger = new CapturingLogger();
        await using var backend = await RedisStreamsPersistenceBackend.ConnectAsync(server.Options(), logger);
        await backend.RecordEventAsync(Records.Event(1));
        await server.KillAsync();

        var errors = new List<IOException>();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await backend.RecordEventAsync(Records.Event(2));
                }
                catch (IOException ex)
                {
                    errors.Add(ex);
                }

                return errors.Count >= 5;
            },
            Timeout,
            "five failed writes");
        await server.RestartAsync();
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await backend.RecordEventAsync(Records.Event(3));
                    return true;
                }
                catch (IOException)
                {
                    return false;
                }
            },
            Timeout,
            "writes to resume");

        Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Information && e.Message.Contains("resumed", StringComparison.Ordinal));
        Assert.All(logger.Entries, e => Assert.DoesNotContain(Password, e.Message + e.Exception, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal));
        Assert.Contains("redis://:***@127.0.0.1", errors[0].Message, StringComparison.Ordinal);
    }
}
