using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Metrics;

namespace Papyra.Runtime.Tests.Persistence.Files;

/// <summary>
/// Numbered appends (<see cref="GroupCommitLog.AppendSequenced"/>): lines of a system's events
/// appended without the log's lock, written in number order whatever order the threads copy them in.
/// </summary>
public sealed class NumberedAppendTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Only_an_fsync_log_without_rotation_takes_a_counter_and_only_one()
    {
        var none = new GroupCommitLog(_store.Path, PersistenceDurability.None, NullLogger.Instance);
        var flush = new GroupCommitLog(_store.Path, PersistenceDurability.Flush, NullLogger.Instance);
        var fsync = new GroupCommitLog(_store.Path, PersistenceDurability.Fsync, NullLogger.Instance);
        try
        {
            Assert.False(none.AttachSequence(new EventSequence()));
            Assert.False(flush.AttachSequence(new EventSequence()));
            Assert.True(fsync.AttachSequence(new EventSequence()));
            Assert.False(fsync.AttachSequence(new EventSequence()));
        }
        finally
        {
            none.Close();
            flush.Close();
            fsync.Close();
        }
    }

    [Fact]
    public async Task Lines_numbered_on_many_threads_are_in_the_file_once_each_in_number_order_and_durable_when_their_task_completes()
    {
        const int Threads = 8;
        const int PerThread = 20_000;
        var metrics = new PersistenceMetricsRecorder();
        (GroupCommitLog log, EventSequence counter) = NumberedLog(metrics);
        using var start = new Barrier(Threads);

        // Threads of their own, released together, so that they copy their lines at the same time.
        Task<Task>[] appenders = [.. Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                Task durable = Task.CompletedTask;
                for (int i = 0; i < PerThread; i++)
                {
                    durable = AppendNext(log, counter);
                }

                return durable;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];
        Task[] last = await Task.WhenAll(appenders).WaitAsync(Wait);

        // Every thread's last line is durable once its task completes: already in the file.
        await Task.WhenAll(last).WaitAsync(Wait);
        long inFile = File.ReadAllLines(_store.Path).Length;
        Assert.True(inFile >= Threads, $"{inFile} lines in the file after every last line was acknowledged");

        log.Close();
        AssertNumbersInOrder(1, Threads * PerThread);

        // Batches are counted when they settle; the syncer may settle its last one just after the close.
        using var patience = new CancellationTokenSource(Wait);
        while (metrics.Snapshot().RecordsWritten != Threads * PerThread && !patience.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        Assert.Equal(Threads * PerThread, metrics.Snapshot().RecordsWritten);
    }

    [Fact]
    public async Task A_line_copied_late_holds_back_the_file_but_not_the_writers_behind_it()
    {
        (GroupCommitLog log, EventSequence counter) = NumberedLog();

        // Number 1 is taken and not yet copied (a preempted writer); the others go on well past a ring's worth.
        long first = Interlocked.Increment(ref counter.Value);
        Task[] later = [.. Enumerable.Range(0, 10_000).Select(_ => AppendNext(log, counter))];

        // Nothing after number 1 can be written before it: no line is acknowledged meanwhile.
        Assert.All(later, task => Assert.False(task.IsCompleted));
        Assert.Equal(0, File.Exists(_store.Path) ? new FileInfo(_store.Path).Length : 0);

        Assert.Equal(GroupCommitLog.AppendStatus.Accepted, log.AppendSequenced(first, Line(first), out Task firstDurable));
        await Task.WhenAll([firstDurable, .. later]).WaitAsync(Wait);
        log.Close();
        AssertNumbersInOrder(1, 10_001);
    }

    [Fact]
    public async Task Lines_aside_are_taken_in_runs_around_ring_lines_and_passed_over_numbers_in_number_order()
    {
        (GroupCommitLog log, EventSequence counter) = NumberedLog();

        // Number 1 is held back: 2..4096 fill the ring, the rest go aside, with a passed-over number
        // among them; then the ring drains, and later lines use it again while earlier ones are aside.
        long first = Interlocked.Increment(ref counter.Value);
        Task[] before = [.. Enumerable.Range(0, 6_000).Select(_ => AppendNext(log, counter))];
        long skipped = Interlocked.Increment(ref counter.Value);
        Assert.Equal(GroupCommitLog.AppendStatus.Accepted, log.AppendSequenced(skipped, default, out Task skippedDurable));
        Task[] after = [.. Enumerable.Range(0, 3_000).Select(_ => AppendNext(log, counter))];
        Assert.All(after, task => Assert.False(task.IsCompleted));

        Assert.Equal(GroupCommitLog.AppendStatus.Accepted, log.AppendSequenced(first, Line(first), out Task firstDurable));
        await Task.WhenAll([firstDurable, skippedDurable, .. before, .. after]).WaitAsync(Wait);
        Task[] ringAgain = [.. Enumerable.Range(0, 5_000).Select(_ => AppendNext(log, counter))];
        await Task.WhenAll(ringAgain).WaitAsync(Wait);
        log.Close();

        long last = counter.Value;
        string[] expected = [.. Enumerable.Range(1, (int)last).Where(n => n != skipped).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(expected, File.ReadAllLines(_store.Path));
    }

    [Fact]
    public async Task A_number_passed_over_leaves_no_line_and_holds_nothing_back()
    {
        (GroupCommitLog log, EventSequence counter) = NumberedLog();
        Task one = AppendNext(log, counter);
        long skipped = Interlocked.Increment(ref counter.Value);
        log.AppendSequenced(skipped, default, out Task _);
        Task three = AppendNext(log, counter);
        await Task.WhenAll(one, three).WaitAsync(Wait);
        log.Close();

        Assert.Equal(["1", "3"], File.ReadAllLines(_store.Path));
    }

    [Fact]
    public async Task Lines_through_the_lock_and_numbered_lines_share_the_file_and_its_batches()
    {
        (GroupCommitLog log, EventSequence counter) = NumberedLog();
        var writes = new List<Task>();
        for (int i = 0; i < 1_000; i++)
        {
            writes.Add(AppendNext(log, counter));
            Assert.Equal(GroupCommitLog.AppendStatus.Accepted, log.TryAppend(Encoding.UTF8.GetBytes($"other-{i}\n"), out Task other));
            writes.Add(other);
        }

        await Task.WhenAll(writes).WaitAsync(Wait);
        log.Close();
        string[] lines = File.ReadAllLines(_store.Path);
        Assert.Equal(2_000, lines.Length);
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Where(l => !l.StartsWith("other", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => $"other-{i}"), lines.Where(l => l.StartsWith("other", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Closing_while_threads_append_writes_every_number_taken_before_it_and_refuses_the_later_ones()
    {
        const int Threads = 3;
        (GroupCommitLog log, EventSequence counter) = NumberedLog();
        long refused = 0;
        using var flowing = new ManualResetEventSlim();
        Task[] appenders = [.. Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                // Until the log refuses one.
                while (true)
                {
                    long sequence = Interlocked.Increment(ref counter.Value);
                    if (log.AppendSequenced(sequence, Line(sequence), out Task _) == GroupCommitLog.AppendStatus.Closed)
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }

                    if (sequence == 20_000)
                    {
                        flowing.Set();
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];

        // Lines are flowing: close under them.
        Assert.True(flowing.Wait(Wait), "the appenders did not get going");
        log.Close();
        long written = File.ReadAllLines(_store.Path).Length;
        await Task.WhenAll(appenders).WaitAsync(Wait);

        // Numbers are dense: the first `written` of them are the file, in order; every later one was refused.
        AssertNumbersInOrder(1, written);
        Assert.Equal(Volatile.Read(ref counter.Value) - written, Interlocked.Read(ref refused));
        Assert.Equal(Threads, Interlocked.Read(ref refused));
    }

    [Fact]
    public async Task Numbered_lines_during_maintenance_are_parked_and_written_after_it_in_order()
    {
        (GroupCommitLog log, EventSequence counter) = NumberedLog();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => AppendNext(log, counter))).WaitAsync(Wait);
        GroupCommitLog.Suspension suspension = log.Suspend();

        // More than a ring's worth while maintenance holds the file: none of them waits for it, none is written.
        Task[] during = [.. Enumerable.Range(0, 5_000).Select(_ => AppendNext(log, counter))];
        log.Flush();
        Assert.All(during, task => Assert.False(task.IsCompleted));
        AssertNumbersInOrder(1, 10);

        suspension.Dispose();
        await Task.WhenAll(during).WaitAsync(Wait);
        log.Close();
        AssertNumbersInOrder(1, 5_010);
    }

    [Fact]
    public async Task Numbered_lines_parked_when_the_log_is_closed_during_maintenance_fail()
    {
        var metrics = new PersistenceMetricsRecorder();
        (GroupCommitLog log, EventSequence counter) = NumberedLog(metrics);
        GroupCommitLog.Suspension suspension = log.Suspend();
        Task parked = AppendNext(log, counter);

        log.Close();
        suspension.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => parked.WaitAsync(Wait));
        Assert.Equal(1, metrics.Snapshot().WriteErrors);
    }

    // An Fsync log numbering its lines by a fresh counter.
    private (GroupCommitLog Log, EventSequence Counter) NumberedLog(PersistenceMetricsRecorder? metrics = null)
    {
        var log = new GroupCommitLog(_store.Path, PersistenceDurability.Fsync, NullLogger.Instance) { Metrics = metrics };
        var counter = new EventSequence();
        Assert.True(log.AttachSequence(counter));
        return (log, counter);
    }

    private static Task AppendNext(GroupCommitLog log, EventSequence counter)
    {
        long sequence = Interlocked.Increment(ref counter.Value);
        Assert.Equal(GroupCommitLog.AppendStatus.Accepted, log.AppendSequenced(sequence, Line(sequence), out Task durable));
        return durable;
    }

    private static byte[] Line(long sequence) => Encoding.UTF8.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");

    private void AssertNumbersInOrder(long first, long last)
    {
        string[] lines = File.ReadAllLines(_store.Path);
        Assert.Equal(last - first + 1, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal((first + i).ToString(System.Globalization.CultureInfo.InvariantCulture), lines[i]);
        }
    }
}
