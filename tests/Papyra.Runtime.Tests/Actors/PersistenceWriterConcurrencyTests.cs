using Papyra.Persistence;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class PersistenceWriterConcurrencyTests
{
    [Fact]
    public async Task Writer_keeps_many_writes_in_flight_so_one_durable_commit_can_cover_them()
    {
        const int Actors = 40;
        var backend = new HeldWritesBackend(signalAt: 16);
        await using ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });

        var spawned = new List<ActorRef>();
        try
        {
            for (int i = 0; i < Actors; i++)
            {
                spawned.Add(system.Spawn<Silent>());
            }

            // A writer that awaited each write before starting the next would hold at most one here.
            await backend.ReachedSignal.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(backend.MaxHeld >= 16, $"at most {backend.MaxHeld} writes were in flight at once");
        }
        finally
        {
            // Released whatever happened, so a failure is reported instead of hanging the shutdown.
            backend.ReleaseAll();
        }

        // Flushing covers the events emitted so far: on a loaded machine the last actors may still be starting.
        foreach (ActorRef actor in spawned)
        {
            await system.WaitForEventAsync<ActorStarted>(e => e.Address == actor.Address, TimeSpan.FromSeconds(10));
        }

        await system.FlushPersistenceAsync();
        Assert.Equal(Actors, backend.Completed.Count(r => r is PersistedEvent { EventType: "ActorStarted" }));
        Assert.Equal(0, system.PersistenceWriteErrors);
    }

    [Fact]
    public async Task Events_that_trickle_in_one_by_one_still_join_the_writes_in_flight()
    {
        const int Actors = 8;
        var backend = new HeldWritesBackend(signalAt: Actors);
        await using ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });

        try
        {
            for (int i = 1; i <= Actors; i++)
            {
                // The writer's queue is empty each time this wait returns: a writer that drained
                // its in-flight writes whenever the queue ran dry would never pass the second one.
                system.Spawn<Silent>();
                await backend.HeldAtLeast(i).WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.Equal(Actors, backend.MaxHeld);
        }
        finally
        {
            backend.ReleaseAll();
        }

        await system.FlushPersistenceAsync();
        Assert.Equal(Actors, backend.Completed.Count(r => r is PersistedEvent { EventType: "ActorStarted" }));
    }

    [Fact]
    public async Task Writes_stay_in_the_order_the_events_happened_while_several_are_in_flight()
    {
        var backend = new HeldWritesBackend(signalAt: 8);
        await using ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });
        ActorRef[] actors;
        try
        {
            actors = [.. Enumerable.Range(0, 8).Select(_ => system.Spawn<Silent>())];
            await backend.ReachedSignal.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            backend.ReleaseAll();
        }

        await system.FlushPersistenceAsync();

        // Actors start concurrently, so the order to keep is the order the system emitted the events in.
        ActorAddress[] emitted = [.. system.GetRecentEvents().OfType<ActorStarted>().OrderBy(e => e.Sequence).Select(e => e.Address)];
        Assert.Equal(actors.Select(a => a.Address).OrderBy(a => a.Id), emitted.OrderBy(a => a.Id));
        Assert.Equal(emitted, backend.Started.Select(e => e.ActorAddress!.Value));
    }

    private sealed class Silent : Actor
    {
    }

    /// <summary>A backend whose writes complete only when the test releases them, like a slow durable store.</summary>
    private sealed class HeldWritesBackend(int signalAt) : IPersistenceBackend
    {
        private readonly Lock _gate = new();
        private readonly List<(PersistedRecord Record, TaskCompletionSource Done)> _held = [];
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _released;

        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

        public Task ReachedSignal => _reached.Task;

        /// <summary>Completes once at least <paramref name="count"/> writes are held at the same time.</summary>
        public Task HeldAtLeast(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_held.Count >= count)
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((count, reached));
            }

            return reached.Task;
        }

        public int MaxHeld { get; private set; }

        public List<PersistedRecord> Completed { get; } = [];

        public IEnumerable<PersistedEvent> Started => Completed.OfType<PersistedEvent>().Where(e => e.EventType == "ActorStarted");

        public string Name => "held";

        public RetentionPolicy Retention => RetentionPolicy.Unlimited;

        public ValueTask RecordEventAsync(PersistedEvent record, CancellationToken cancellationToken = default) => Hold(record);

        public ValueTask RecordAuditAsync(PersistedAudit record, CancellationToken cancellationToken = default) => Hold(record);

        public ValueTask RecordDeadLetterAsync(PersistedDeadLetter record, CancellationToken cancellationToken = default) => Hold(record);

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public void ReleaseAll()
        {
            List<TaskCompletionSource> release;
            lock (_gate)
            {
                _released = true;
                release = [.. _held.Select(h => h.Done)];
                Completed.AddRange(_held.Select(h => h.Record));
                _held.Clear();
            }

            release.ForEach(done => done.TrySetResult());
        }

        public ValueTask<PersistenceReadResult<PersistedEvent>> ReadEventsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<PersistenceReadResult<PersistedAudit>> ReadAuditsAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<PersistenceReadResult<PersistedDeadLetter>> ReadDeadLettersAsync(PersistenceQuery? query = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            ReleaseAll();
            return ValueTask.CompletedTask;
        }

        private ValueTask Hold(PersistedRecord record)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_released)
                {
                    Completed.Add(record);
                    return ValueTask.CompletedTask;
                }

                _held.Add((record, done));
                MaxHeld = Math.Max(MaxHeld, _held.Count);
                if (_held.Count >= signalAt)
                {
                    _reached.TrySetResult();
                }

                foreach ((int count, TaskCompletionSource reached) in _waiters)
                {
                    if (_held.Count >= count)
                    {
                        reached.TrySetResult();
                    }
                }
            }

            return new ValueTask(done.Task);
        }
    }
}
