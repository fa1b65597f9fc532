using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Metrics;

namespace Papyra.Runtime.Tests.Persistence.Files;

/// <summary>Appends while maintenance (compaction, recovery) holds the file.</summary>
public sealed class GroupCommitLogTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(PersistenceDurability.Flush)]
    [InlineData(PersistenceDurability.Fsync)]
    public async Task Lines_appended_during_maintenance_wait_for_it_and_land_in_the_new_file_in_call_order(PersistenceDurability durability)
    {
        var metrics = new PersistenceMetricsRecorder();
        var log = new GroupCommitLog(_store.Path, durability, NullLogger.Instance) { Metrics = metrics };
        try
        {
            await Append(log, "old").WaitAsync(Wait);
            GroupCommitLog.Suspension suspension = log.Suspend();
            Task[] writes = [.. Enumerable.Range(1, 20).Select(i => Append(log, $"during-{i}"))];
            Assert.All(writes, write => Assert.False(write.IsCompleted));
            Assert.Equal("old\n", _store.Read());

            // What maintenance does: replace the file underneath.
            _store.Write("compacted\n");
            suspension.Dispose();
            await Task.WhenAll(writes).WaitAsync(Wait);

            Assert.Equal(["compacted", .. Enumerable.Range(1, 20).Select(i => $"during-{i}")], _store.Read().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            // An Fsync batch counts its writes when it settles; in Flush mode the store counts a line
            // written at once itself, and the log counts the parked ones when it writes them.
            Assert.Equal(durability == PersistenceDurability.Fsync ? 21 : 20, metrics.Snapshot().RecordsWritten);
        }
        finally
        {
            log.Close();
        }
    }

    [Fact]
    public async Task Lines_parked_when_the_log_is_closed_during_maintenance_fail_instead_of_vanishing()
    {
        var metrics = new PersistenceMetricsRecorder();
        var log = new GroupCommitLog(_store.Path, PersistenceDurability.Fsync, NullLogger.Instance) { Metrics = metrics };
        GroupCommitLog.Suspension suspension = log.Suspend();
        Task parked = Append(log, "during");

        log.Close();
        suspension.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => parked.WaitAsync(Wait));
        Assert.Equal(1, metrics.Snapshot().WriteErrors);
        Assert.False(File.Exists(_store.Path));
    }

    [Fact]
    public void Buffered_lines_parked_when_the_log_is_closed_during_maintenance_are_counted_as_lost()
    {
        var metrics = new PersistenceMetricsRecorder();
        var log = new GroupCommitLog(_store.Path, PersistenceDurability.None, NullLogger.Instance) { Metrics = metrics };
        GroupCommitLog.Suspension suspension = log.Suspend();

        // None mode: the writer does not wait, so the loss can only be counted.
        Assert.True(Append(log, "during").IsCompletedSuccessfully);
        log.Close();
        suspension.Dispose();

        Assert.Equal(1, metrics.Snapshot().WriteErrors);
    }

    private static Task Append(GroupCommitLog log, string line)
    {
        Assert.Equal(GroupCommitLog.AppendStatus.Accepted, log.TryAppend(Encoding.UTF8.GetBytes(line + "\n"), out Task durable));
        return durable;
    }
}
