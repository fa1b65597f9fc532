using Microsoft.Extensions.Logging.Abstractions;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Recording;
using Papyra.Runtime.Tests.Persistence.Files;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

/// <summary>
/// Actor events reach an inline-capable store (the JSON-lines file) on the thread that emitted
/// them; these pin the order, the fallback to the queue and the counting of inline writes.
/// </summary>
public sealed class InlineEventPersistenceTests
{
    private static readonly ActorAddress Address = new("test", 1);

    [Fact]
    public async Task Events_of_a_system_whose_store_appends_inline_never_pass_through_the_writer_loop()
    {
        var backend = new InlineBackend();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });
        for (int i = 0; i < 10; i++)
        {
            await system.StopAsync(system.Spawn<CounterActor>());
        }

        await system.DisposeAsync();

        Assert.Equal(0, backend.AsyncEventWrites);
        Assert.Equal(system.GetRecentEvents().OrderBy(e => e.Sequence).Select(e => e.Timestamp), backend.Appended);
        Assert.Equal(20, backend.Appended.Length);
    }

    [Fact]
    public async Task Inline_events_are_counted_written_or_failed_when_their_batch_settles()
    {
        var backend = new InlineBackend();
        var recorder = new LifecycleRecorder(backend, "test", NullLogger.Instance);
        await using (recorder)
        {
            var failing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            backend.Batch = failing.Task;
            Persist(recorder, Started(1));
            Persist(recorder, Started(2));
            Persist(recorder, Started(3));
            Assert.Equal(0, recorder.WriteErrors);
            failing.SetException(new IOException("disk full"));

            var succeeding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            backend.Batch = succeeding.Task;
            Persist(recorder, Started(4));
            Persist(recorder, Started(5));
            succeeding.SetResult();

            await recorder.FlushAsync(CancellationToken.None);
            Assert.Equal(3, recorder.WriteErrors);
            Assert.Equal(2, recorder.RecordsWritten);
            Assert.Equal([1, 2, 3, 4, 5], backend.Appended);
        }
    }

    [Fact]
    public async Task An_event_the_store_cannot_serialise_is_one_write_error_and_later_events_carry_on()
    {
        var backend = new InlineBackend { FailSerializingAt = 1 };
        var recorder = new LifecycleRecorder(backend, "test", NullLogger.Instance);
        await using (recorder)
        {
            Persist(recorder, Started(1));
            Persist(recorder, Started(2));

            // Serialised once, on the emitting thread, before the lock: the failure is not retried.
            await recorder.FlushAsync(CancellationToken.None);
            Assert.Equal(1, recorder.WriteErrors);
            Assert.Equal(1, recorder.RecordsWritten);
            Assert.Equal(2, backend.Serialized);
            Assert.Equal([2], backend.Appended);
        }
    }

    // What ActorSystem.Emit does: serialise before the event log's lock, append under it.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Events_persisted_from_many_threads_into_one_batch_are_each_counted_once_when_it_settles(bool succeeds)
    {
        const int Threads = 8;
        const int PerThread = 2_000;
        var backend = new InlineBackend();
        var recorder = new LifecycleRecorder(backend, "test", NullLogger.Instance);
        await using (recorder)
        {
            // Every event joins the one pending batch, from threads that count in different stripes.
            var batch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            backend.Batch = batch.Task;
            using var start = new Barrier(Threads);
            await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    for (int i = 0; i < PerThread; i++)
                    {
                        Persist(recorder, Started((t * PerThread) + i + 1));
                    }
                },
                TaskCreationOptions.LongRunning)));
            Assert.Equal(0, recorder.RecordsWritten + recorder.WriteErrors);

            if (succeeds)
            {
                batch.SetResult();
            }
            else
            {
                batch.SetException(new IOException("disk full"));
            }

            // Events after the batch settled count on their own.
            backend.Batch = Task.CompletedTask;
            Persist(recorder, Started(0.5));
            await recorder.FlushAsync(CancellationToken.None);
            Assert.Equal(succeeds ? (Threads * PerThread) + 1 : 1, recorder.RecordsWritten);
            Assert.Equal(succeeds ? 0 : Threads * PerThread, recorder.WriteErrors);
        }
    }

    private static void Persist(LifecycleRecorder recorder, ActorEvent actorEvent)
    {
        recorder.PrepareEvent(actorEvent);
        recorder.PersistEvent(actorEvent);
    }

    [Fact]
    public async Task Events_of_concurrent_spawners_are_in_the_json_store_in_sequence_order()
    {
        const int Spawners = 4;
        const int PerSpawner = 250;
        using var store = new TempStore();
        var system = await TestSystem.StartAsync(new ActorSystemOptions
        {
            Persistence = new JsonFilePersistenceBackend(store.Path),
            EventLogCapacity = 4 * Spawners * PerSpawner,
        });
        await Task.WhenAll(Enumerable.Range(0, Spawners).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < PerSpawner; i++)
            {
                await system.StopAsync(system.Spawn<CounterActor>());
            }
        })));
        await system.DisposeAsync();

        string[] stored = await AssertStoredInSequenceOrderAsync(system, store.Path);
        Assert.Equal(2 * Spawners * PerSpawner, stored.Length);
    }

    [Fact]
    public async Task Events_emitted_while_a_compaction_holds_the_json_store_are_kept_in_order()
    {
        using var store = new TempStore();
        var backend = new JsonFilePersistenceBackend(store.Path);
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend, EventLogCapacity = 50_000 });
        const int Compactions = 5;
        int compactions = 0;
        using var compacted = new SemaphoreSlim(0);

        // Actors come and go in rounds while compactions run back to back; a round starts only after
        // a compaction completed, so at least one ran per round, however fast actors come and go.
        // (20,000 actors in all, 40,000 events: within the event log's window, so all are compared.)
        var spawning = Task.Run(async () =>
        {
            for (int round = 0; round < Compactions; round++)
            {
                for (int i = 0; i < 4_000; i++)
                {
                    await system.StopAsync(system.Spawn<CounterActor>());
                }

                Assert.True(await compacted.WaitAsync(TimeSpan.FromSeconds(30)), $"no compaction completed within 30 s during round {round}");
            }
        });
        while (!spawning.IsCompleted)
        {
            await backend.CompactAsync();
            Interlocked.Increment(ref compactions);
            compacted.Release();
        }

        await spawning;
        await system.DisposeAsync();
        Assert.True(compactions >= Compactions, $"only {compactions} compactions ran while actors came and went");

        await AssertStoredInSequenceOrderAsync(system, store.Path);
    }

    // The store holds every event the system emitted (first as a set: nothing lost), in sequence order.
    private static async Task<string[]> AssertStoredInSequenceOrderAsync(ActorSystem system, string path)
    {
        string[] emitted = [.. system.GetRecentEvents().OrderBy(e => e.Sequence).Select(e => $"{e.EventType} {e.Address}")];
        await using var reader = new JsonFilePersistenceBackend(path);
        string[] stored = [.. (await reader.ReadEventsAsync()).Records.Select(e => $"{e.EventType} {e.ActorAddress}")];
        Assert.Equal(emitted.Order(), stored.Order());
        Assert.Equal(emitted, stored);
        return stored;
    }

    private static ActorStarted Started(double timestamp) => new(Address, timestamp);

    /// <summary>
    /// A store that appends inline: a "line" is the event's timestamp; appends return the task the
    /// test sets, and the asynchronous path only counts how often it was used.
    /// </summary>
    private sealed class InlineBackend : IPersistenceBackend, IInlineEventAppender
    {
        private readonly Lock _gate = new();
        private readonly List<double> _appended = [];
        private int _serialized;
        private int _asyncEventWrites;

        /// <summary>The task appends return; completed unless a test sets a pending one.</summary>
        public Task Batch { get; set; } = Task.CompletedTask;

        /// <summary>The timestamp of the event whose serialisation fails.</summary>
        public double? FailSerializingAt { get; init; }

        public int Serialized => Volatile.Read(ref _serialized);

        public int AsyncEventWrites => Volatile.Read(ref _asyncEventWrites);

        public double[] Appended
        {
            get
            {
                lock (_gate)
                {
                    return [.. _appended];
                }
            }
        }

        public string Name => "inline";

        public RetentionPolicy Retention => RetentionPolicy.Unlimited;

        public bool AppendsInline => true;

        public ReadOnlySpan<byte> SerializeEvent(PersistedEvent record)
        {
            Interlocked.Increment(ref _serialized);
            if (record.Timestamp == FailSerializingAt)
            {
                throw new ArgumentException($"The event at {record.Timestamp} cannot be stored.", nameof(record));
            }

            return BitConverter.GetBytes(record.Timestamp);
        }

        public void AppendSerializedEvent(ReadOnlySpan<byte> line, out Task durable)
        {
            lock (_gate)
            {
                _appended.Add(BitConverter.ToDouble(line));
            }

            durable = Batch;
        }

        public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _asyncEventWrites);
            return ValueTask.CompletedTask;
        }

        public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
