using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Papyra.Diagnostics;
using Papyra.Metrics;
using Papyra.Persistence;
using Papyra.Persistence.Memory;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Diagnostics;

public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task The_snapshot_counts_messages_restarts_dead_letters_and_live_actors()
    {
        await using ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions { SystemId = "metrics-snapshot" });
        ActorRef counter = system.Spawn(() => new CounterActor(), name: "counter");

        Assert.Equal(1, await counter.AskAsync<int>(new Increment()).Within());
        Assert.Equal(2, await counter.AskAsync<int>(new Increment()).Within());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await counter.AskAsync<int>(new Boom()));
        await system.Next<ActorRestarted>(counter);
        counter.Tell("not handled");
        Assert.Equal(0, await counter.AskAsync<int>(new GetCount()).Within());

        RuntimeMetricsSnapshot snapshot = system.GetMetricsSnapshot();

        Assert.Equal(5, snapshot.MessagesProcessed);
        Assert.Equal(1, snapshot.Restarts);
        Assert.Equal(1, snapshot.DeadLetters);
        Assert.Equal(1, snapshot.ActorsAlive);
        Assert.Equal(0, snapshot.MailboxDepth);
    }

    [Fact]
    public async Task Mailbox_depth_is_the_number_of_messages_waiting_behind_a_busy_actor()
    {
        await using ActorSystem system = await TestSystem.StartAsync();
        TaskCompletionSource entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        ActorRef gated = system.Spawn(() => new GatedActor(entered, gate));
        gated.Tell("block");
        await entered.Task.Within();
        gated.Tell("a");
        gated.Tell("b");
        gated.Tell("c");

        Assert.Equal(3, system.GetMetricsSnapshot().MailboxDepth);

        gate.SetResult();
        Assert.Equal("d", await gated.AskAsync<string>("d").Within());
        Assert.Equal(0, system.GetMetricsSnapshot().MailboxDepth);
    }

    [Fact]
    public async Task A_MeterListener_reads_the_generated_instruments_tagged_with_the_system_id_until_the_system_is_disposed()
    {
        ConcurrentDictionary<string, long> seen = new();
        TaskCompletionSource unpublished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using MeterListener listener = new()
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is RuntimeMetricNames.Instruments.MeterName or PersistenceMetricNames.Instruments.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
            MeasurementsCompleted = (instrument, _) =>
            {
                if (instrument.Name == RuntimeMetricNames.Instruments.MessagesProcessed)
                {
                    unpublished.TrySetResult();
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == ActorSystem.SystemIdTag && Equals(tag.Value, "metered"))
                {
                    seen[instrument.Name] = value;
                }
            }
        });
        listener.Start();

        ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions { SystemId = "metered", Persistence = new InMemoryPersistenceBackend() });
        ActorRef counter = system.Spawn(() => new CounterActor());
        Assert.Equal(1, await counter.AskAsync<int>(new Increment()).Within());
        await system.FlushPersistenceAsync();
        listener.RecordObservableInstruments();

        Assert.Equal(1, seen[RuntimeMetricNames.Instruments.MessagesProcessed]);
        Assert.Equal(1, seen[RuntimeMetricNames.Instruments.ActorsAlive]);
        Assert.Equal(0, seen[RuntimeMetricNames.Instruments.MailboxDepth]);
        Assert.True(seen[PersistenceMetricNames.Instruments.RecordsWritten] >= 1, "ActorStarted was written");
        Assert.Equal(1, seen[PersistenceMetricNames.Instruments.Scans]);

        await system.DisposeAsync();
        await unpublished.Task.Within();
    }

    [Fact]
    public async Task The_startup_check_span_parents_the_scan_span_of_the_persistence_source()
    {
        ConcurrentQueue<Activity> stopped = new();
        using ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name == PapyraActivitySources.Persistence,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using Activity test = new Activity("test").Start();

        await using (ActorSystem system = await TestSystem.StartAsync(new ActorSystemOptions
        {
            Persistence = new InMemoryPersistenceBackend(),
            StartupCheck = new PersistenceStartupConfig(PersistenceStartupMode.FailOnAnomaly),
        }))
        {
            Assert.True(system.IsRunning);
        }

        List<Activity> ours = stopped.Where(a => a.TraceId == test.TraceId).ToList();
        Activity startup = Assert.Single(ours, a => a.OperationName == PersistenceActivities.StartupCheckName);
        Activity scan = Assert.Single(ours, a => a.OperationName == PersistenceActivities.ScanName);
        Assert.Equal(startup.SpanId, scan.ParentSpanId);
        Assert.Equal(nameof(PersistenceStartupMode.FailOnAnomaly), startup.GetTagItem(PersistenceActivities.StartupModeTag));
        Assert.Equal("memory", scan.GetTagItem(PersistenceActivities.BackendTag));
    }
}
