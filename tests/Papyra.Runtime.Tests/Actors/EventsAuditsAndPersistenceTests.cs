using System.Collections.Concurrent;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Memory;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Actors;

public sealed class EventsAuditsAndPersistenceTests
{
    [Fact]
    public async Task Lifecycle_events_are_persisted_with_their_payloads()
    {
        var backend = new RecordingBackend();
        var clock = TestSystem.FakeClock();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend, TimeProvider = clock, SystemId = "shop" });
        ActorRef actor = system.Spawn<CounterActor>("c");
        await Assert.ThrowsAsync<InvalidOperationException>(() => actor.AskAsync<int>(new Boom("bad")).AsTask());
        await system.DisposeAsync();

        PersistedEvent[] events = backend.Records.OfType<PersistedEvent>().ToArray();
        Assert.Equal(["ActorStarted", "ActorCrashed", "ActorRestarted", "ActorStopped"], events.Select(e => e.EventType));
        Assert.All(events, e => Assert.Equal("shop", e.SystemId));
        Assert.All(events, e => Assert.Equal(actor.Address, e.ActorAddress));
        Assert.All(events, e => Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, e.Timestamp, 3));
        Assert.Equal("InvalidOperationException: bad", events[1].Payload.GetProperty("error").GetString());
        Assert.Equal("InvalidOperationException: bad", events[1].Payload.GetProperty("reason").GetString());
        Assert.Equal("actor restarted", events[2].Payload.GetProperty("reason").GetString());
        Assert.Equal("shutdown", events[3].Payload.GetProperty("reason").GetString());
        Assert.True(backend.Disposed);
    }

    [Fact]
    public async Task ActorStopped_events_of_shutdown_are_persisted()
    {
        var backend = new InMemoryPersistenceBackend();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });
        ActorRef parent = system.Spawn(() => new DecidingParent(null, () => new CounterActor()));
        ActorRef child = await parent.AskAsync<ActorRef>("child");

        await system.DisposeAsync();

        PersistenceReadResult<PersistedEvent> stored = await backend.ReadEventsAsync();
        var stopped = stored.Records.Where(e => e.EventType == "ActorStopped").Select(e => e.ActorAddress).ToList();
        Assert.Equal([child.Address, parent.Address], stopped);
    }

    [Fact]
    public async Task Dead_letters_are_persisted_with_a_json_payload_and_a_safe_fallback()
    {
        var backend = new RecordingBackend();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });
        ActorRef actor = system.Spawn<CounterActor>();
        await system.StopAsync(actor).Within();
        actor.Tell(new Echo("x"));
        var cyclic = new Node();
        cyclic.Next = cyclic;
        actor.Tell(cyclic);
        actor.Tell(new Unserializable());
        await system.DisposeAsync();

        PersistedDeadLetter[] letters = backend.Records.OfType<PersistedDeadLetter>().ToArray();
        Assert.Equal(3, letters.Length);
        Assert.Equal(actor.Address, letters[0].Target);
        Assert.Equal("Echo", letters[0].MessageType);
        Assert.Equal("x", letters[0].Payload.GetProperty("Value").GetString());
        Assert.False(letters[0].ExpectsReply);
        Assert.Equal(JsonValueKind.Object, letters[1].Payload.ValueKind);
        Assert.Equal("opaque message", letters[2].Payload.GetString());
    }

    [Fact]
    public async Task Throwing_backend_counts_write_errors_and_the_system_carries_on()
    {
        var backend = new RecordingBackend { FailWrites = true };
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend });
        ActorRef actor = system.Spawn<CounterActor>();
        Assert.Equal(1, await actor.AskAsync<int>(new Increment()));
        system.Audit();

        await system.FlushPersistenceAsync();

        Assert.True(system.PersistenceWriteErrors >= 2);
        Assert.Equal(2, await actor.AskAsync<int>(new Increment()));
        backend.FailWrites = false;
        system.Audit();
        await system.FlushPersistenceAsync();
        Assert.Single(backend.Records.OfType<PersistedAudit>());
    }

    [Fact]
    public async Task Audit_counts_actors_names_and_dead_letters_and_is_persisted_and_hooked()
    {
        var backend = new RecordingBackend();
        var hooks = new RecordingHooks();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = backend, Hooks = hooks });
        ActorRef named = system.Spawn<CounterActor>("named");
        ActorRef other = system.Spawn<CounterActor>();
        ActorRef gone = system.Spawn<CounterActor>();
        await system.StopAsync(gone).Within();
        gone.Tell("late");
        await named.AskAsync<int>(new GetCount());
        await other.AskAsync<int>(new GetCount());

        AuditReport audit = system.Audit(includeActorDetails: true);

        Assert.Equal(3, audit.TotalActors);
        Assert.Equal(2, audit.AliveActors);
        Assert.Equal(0, audit.StoppingActors);
        Assert.Equal(0, audit.RestartingActors);
        Assert.Equal(1, audit.RegistrySize);
        Assert.Empty(audit.RegistryOrphans);
        Assert.Empty(audit.RegistryDead);
        Assert.Equal(1, audit.DeadLettersCount);
        Assert.Equal([named.Address, other.Address], audit.Actors.Select(a => a.Address));
        Assert.Equal(
            ["system_id=local", "actors(total=3, alive=2, stopping=0, restarting=0)", "registry(size=1, orphans=0, dead=0)", "dead_letters=1"],
            audit.SummaryLines());
        Assert.Empty(system.Audit().Actors);

        await system.FlushPersistenceAsync();
        PersistedAudit stored = backend.Records.OfType<PersistedAudit>().First();
        Assert.Equal((3, 2, 1L), (stored.TotalActors, stored.AliveActors, stored.DeadLettersCount));
        Assert.Same(audit, await hooks.FirstAudit.Task.Within());
    }

    [Fact]
    public async Task WaitForEventAsync_finds_past_events_and_times_out_clearly()
    {
        await using var system = await TestSystem.StartAsync();
        ActorRef actor = system.Spawn<CounterActor>();
        await actor.AskAsync<int>(new GetCount());

        ActorStarted started = await system.WaitForEventAsync<ActorStarted>(e => e.Address == actor.Address);
        Assert.Equal(1, started.Sequence);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => system.WaitForEventAsync<ActorRestarted>(timeout: TimeSpan.FromMilliseconds(50)));
        Assert.Contains("0.05 s", error.Message);
    }

    [Fact]
    public async Task Hooks_receive_events_dead_letters_failures_and_audits_in_order()
    {
        var hooks = new RecordingHooks();
        var system = await TestSystem.StartAsync(new ActorSystemOptions { Hooks = hooks });
        ActorRef parent = system.Spawn(() => new DecidingParent(SupervisorDecision.Resume, () => new CounterActor()));
        ActorRef child = await parent.AskAsync<ActorRef>("child");
        await Assert.ThrowsAsync<InvalidOperationException>(() => child.AskAsync<int>(new Boom()).AsTask());
        system.RefFor("local:99").Tell("nobody");
        await system.DisposeAsync();

        Assert.Equal(
            [null, SupervisorDecision.Resume],
            hooks.Calls.OfType<FailureInfo>().Select(f => f.SupervisorDecision));
        Assert.Single(hooks.Calls.OfType<DeadLetter>());
        Assert.Equal(system.GetRecentEvents().Select(e => e.Sequence), hooks.Calls.OfType<ActorEvent>().Select(e => e.Sequence));
    }

    [Fact]
    public async Task Throwing_hook_is_logged_and_ignored()
    {
        var hooks = new ThrowingHooks();
        await using var system = await TestSystem.StartAsync(new ActorSystemOptions { Hooks = hooks, Persistence = new RecordingBackend() });
        ActorRef actor = system.Spawn<CounterActor>();
        Assert.Equal(1, await actor.AskAsync<int>(new Increment()));
        system.Audit();
        await system.StopAsync(actor).Within();
        ActorRef next = system.Spawn<CounterActor>();
        Assert.Equal(1, await next.AskAsync<int>(new Increment()));
        Assert.True(hooks.Calls > 0);
    }

    [Fact]
    public async Task Async_startup_hooks_are_awaited_before_StartAsync_returns()
    {
        var hooks = new RecordingHooks { StartupDelay = true };
        await using var system = new ActorSystem(new ActorSystemOptions { Hooks = hooks, Persistence = new RecordingBackend() });

        await system.StartAsync();

        Assert.True(hooks.ScanHookCompleted);
    }

    [Fact]
    public async Task Failed_strict_startup_check_leaves_the_system_unstarted_and_retryable()
    {
        var backend = new RecordingBackend { ScanFailuresLeft = 1 };
        await using var system = new ActorSystem(new ActorSystemOptions
        {
            Persistence = backend,
            StartupCheck = new PersistenceStartupConfig(PersistenceStartupMode.FailOnAnomaly),
        });

        var error = await Assert.ThrowsAsync<PersistenceStartupException>(() => system.StartAsync());
        Assert.Equal(PersistenceAnomalyType.CorruptedLine, error.Report.Scan!.Anomalies[0].Type);
        Assert.False(system.IsRunning);
        Assert.Throws<ActorStoppedException>(() => system.Spawn<CounterActor>());

        await system.StartAsync();
        Assert.True(system.IsRunning);
        Assert.Equal(1, await system.Spawn<CounterActor>().AskAsync<int>(new Increment()));
    }

    [Fact]
    public async Task CompactAsync_compacts_a_capable_backend_and_returns_null_otherwise()
    {
        await using var memory = await TestSystem.StartAsync(new ActorSystemOptions { Persistence = new InMemoryPersistenceBackend(new RetentionPolicy(maxRecords: 1)) });
        memory.Spawn<CounterActor>();
        memory.Audit();
        CompactionReport? report = await memory.CompactAsync();
        Assert.NotNull(report);
        Assert.Equal(1, report.AfterRecords);

        await using var none = await TestSystem.StartAsync();
        Assert.Null(await none.CompactAsync());
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    private sealed class Unserializable
    {
        public IntPtr Handle => throw new InvalidOperationException("cannot read");

        public override string ToString() => "opaque message";
    }

    private sealed class RecordingHooks : SystemHooks
    {
        public ConcurrentQueue<object> Calls { get; } = new();

        public TaskCompletionSource<AuditReport> FirstAudit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool StartupDelay { get; init; }

        public bool ScanHookCompleted { get; private set; }

        public override ValueTask OnEventAsync(ActorEvent actorEvent, CancellationToken cancellationToken) => Add(actorEvent);

        public override ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) => Add(deadLetter);

        public override ValueTask OnFailureAsync(FailureInfo failure, CancellationToken cancellationToken) => Add(failure);

        public override ValueTask OnAuditAsync(AuditReport report, CancellationToken cancellationToken)
        {
            FirstAudit.TrySetResult(report);
            return Add(report);
        }

        public override async ValueTask OnPersistenceScanAsync(PersistenceScanReport report, CancellationToken cancellationToken)
        {
            if (StartupDelay)
            {
                await Task.Yield();
            }

            ScanHookCompleted = true;
        }

        private async ValueTask Add(object item)
        {
            await Task.Yield();
            Calls.Enqueue(item);
        }
    }

    private sealed class ThrowingHooks : ISystemHooks
    {
        public int Calls;

        public ValueTask OnEventAsync(ActorEvent actorEvent, CancellationToken cancellationToken) => Throw();

        public ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken) => Throw();

        public ValueTask OnFailureAsync(FailureInfo failure, CancellationToken cancellationToken) => Throw();

        public ValueTask OnAuditAsync(AuditReport report, CancellationToken cancellationToken) => Throw();

        public ValueTask OnPersistenceScanAsync(PersistenceScanReport report, CancellationToken cancellationToken) => Throw();

        public ValueTask OnPersistenceRecoveryAsync(PersistenceRecoveryReport report, CancellationToken cancellationToken) => Throw();

        private ValueTask Throw()
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("hook bug");
        }
    }
}
