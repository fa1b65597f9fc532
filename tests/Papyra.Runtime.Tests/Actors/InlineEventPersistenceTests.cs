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
    public async Task Events_after_one_the_store_could_not_take_inline_wait_behind_it_in_the_queue()
    {
        var backend = new GatedInlineBackend { AcceptsInline = false };
        var recorder = new LifecycleRecorder(backend, "test", NullLogger.Instance);
        await using (recorder)
        {
            recorder.PersistEvent(Started(1));
            await backend.FirstQueuedWrite.Within();

            // The store takes inline appends again, but the first event has not reached it yet: the
            // next two must not overtake it.
            backend.AcceptsInline = true;
            recorder.PersistEvent(Started(2));
            recorder.PersistEvent(Started(3));
            backend.OpenGate();
            await recorder.FlushAsync(CancellationToken.None);
            Assert.Equal([1, 2, 3], backend.Stored.Select(r => r.Timestamp));

            // Once the queue has settled, events go inline again.
            int inlineBefore = backend.InlineAppends;
            recorder.PersistEvent(Started(4));
            Assert.Equal(inlineBefore + 1, backend.InlineAppends);
            Assert.Equal([1, 2, 3, 4], backend.Stored.Select(r => r.Timestamp));
        }
    }

    [Fact]
    public async Task Inline_events_are_counted_written_or_failed_when_their_batch_settles()
    {
        var backend = new GatedInlineBackend();
        var recorder = new LifecycleRecorder(backend, "test", NullLogger.Instance);
        await using (recorder)
        {
            var failing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            backend.InlineBatch = failing.Task;
            recorder.PersistEvent(Started(1));
            recorder.PersistEvent(Started(2));
            recorder.PersistEvent(Started(3));
            Assert.Equal(0, recorder.WriteErrors);
            failing.SetException(new IOException("disk full"));

            var succeeding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            backend.InlineBatch = succeeding.Task;
            recorder.PersistEvent(Started(4));
            recorder.PersistEvent(Started(5));
            succeeding.SetResult();

            await recorder.FlushAsync(CancellationToken.None);
            Assert.Equal(3, recorder.WriteErrors);
            Assert.Equal(2, recorder.RecordsWritten);
            Assert.Equal(5, backend.InlineAppends);
        }
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

        string[] emitted = [.. system.Events.OrderBy(e => e.Sequence).Select(e => $"{e.EventType} {e.Address}")];
        await using var reader = new JsonFilePersistenceBackend(store.Path);
        string[] stored = [.. (await reader.ReadEventsAsync()).Records.Select(e => $"{e.EventType} {e.ActorAddress}")];
        Assert.Equal(2 * Spawners * PerSpawner, stored.Length);
        Assert.Equal(emitted, stored);
    }

    [Fact]
    public async Task Events_emitted_while_a_compaction_holds_the_json_store_are_kept_in_order()
    {
        using var store = new TempStore();
        var backend = new JsonFilePersistenceBackend(store.Path);
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend, EventLogCapacity = 50_000 });
        const int Compactions = 5;
        int compactions = 0;

        // Actors come and go until several compactions have run meanwhile (bounded, should they not).
        var spawning = Task.Run(async () =>
        {
            for (int i = 0; i < 20_000 && Volatile.Read(ref compactions) < Compactions; i++)
            {
                await system.StopAsync(system.Spawn<CounterActor>());
            }
        });
        while (!spawning.IsCompleted)
        {
            await backend.CompactAsync();
            Interlocked.Increment(ref compactions);
        }

        await spawning;
        await system.DisposeAsync();
        Assert.True(compactions >= Compactions, $"only {compactions} compactions ran while actors came and went");

        string[] emitted = [.. system.Events.OrderBy(e => e.Sequence).Select(e => $"{e.EventType} {e.Address}")];
        await using var reader = new JsonFilePersistenceBackend(store.Path);
        string[] stored = [.. (await reader.ReadEventsAsync()).Records.Select(e => $"{e.EventType} {e.ActorAddress}")];
        Assert.Equal(emitted.Order(), stored.Order());
        Assert.Equal(emitted, stored);
    }

    private static ActorStarted Started(double timestamp) => new(Address, timestamp);

    /// <summary>
    /// A store that takes inline appends when told to, and whose asynchronous writes wait for a gate
    /// (like writes held while maintenance owns a file) and then reach it in the order they came.
    /// </summary>
    private sealed class GatedInlineBackend : IPersistenceBackend, IInlineEventAppender
    {
        private readonly Lock _gate = new();
        private readonly List<(PersistedEvent Record, TaskCompletionSource Done)> _waiting = [];
        private readonly TaskCompletionSource _firstQueued = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<PersistedEvent> _stored = [];
        private bool _open;
        private int _inlineAppends;

        public volatile bool AcceptsInline = true;

        /// <summary>The task inline appends return; completed unless a test sets a pending one.</summary>
        public Task InlineBatch { get; set; } = Task.CompletedTask;

        public Task FirstQueuedWrite => _firstQueued.Task;

        public int InlineAppends => Volatile.Read(ref _inlineAppends);

        public PersistedEvent[] Stored
        {
            get
            {
                lock (_gate)
                {
                    return [.. _stored];
                }
            }
        }

        public string Name => "gated";

        public RetentionPolicy Retention => RetentionPolicy.Unlimited;

        public bool TryAppendEventInline(PersistedEvent record, out Task durable)
        {
            durable = InlineBatch;
            if (!AcceptsInline)
            {
                return false;
            }

            lock (_gate)
            {
                _stored.Add(record);
            }

            Interlocked.Increment(ref _inlineAppends);
            return true;
        }

        public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                if (_open)
                {
                    _stored.Add(record);
                    return ValueTask.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((record, done));
                _firstQueued.TrySetResult();
                return new ValueTask(done.Task);
            }
        }

        public void OpenGate()
        {
            List<TaskCompletionSource> release;
            lock (_gate)
            {
                _open = true;
                _stored.AddRange(_waiting.Select(w => w.Record));
                release = [.. _waiting.Select(w => w.Done)];
                _waiting.Clear();
            }

            release.ForEach(done => done.SetResult());
        }

        public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            OpenGate();
            return ValueTask.CompletedTask;
        }
    }
}
