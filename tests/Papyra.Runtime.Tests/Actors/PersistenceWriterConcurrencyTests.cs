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

        try
        {
            for (int i = 0; i < Actors; i++)
            {
                system.Spawn<Silent>();
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

        await system.FlushPersistenceAsync();
        Assert.Equal(Actors, backend.Completed.Count(r => r is PersistedEvent { EventType: "ActorStarted" }));
        Assert.Equal(0, system.PersistenceWriteErrors);
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

        Assert.Equal(actors.Select(a => a.Address), backend.Started.Select(e => e.ActorAddress!.Value));
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

        public Task ReachedSignal => _reached.Task;

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
            }

            return new ValueTask(done.Task);
        }
    }
}
