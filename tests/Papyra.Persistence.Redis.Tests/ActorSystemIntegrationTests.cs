using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>Actor systems persisting into Redis: several systems sharing one server, and a server that dies under a running system.</summary>
[Collection(RedisCollection.Name)]
public sealed class ActorSystemIntegrationTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_actor_systems_with_different_ids_write_concurrently_to_one_redis_and_are_inspected_separately()
    {
        string prefix = RedisServer.UniquePrefix();
        await Task.WhenAll(RunSystemAsync("orders", 6), RunSystemAsync("billing", 4));

        foreach ((string systemId, int actors) in new[] { ("orders", 6), ("billing", 4) })
        {
            await using var inspector = new RedisStreamsPersistenceBackend(redis.RawConnection, redis.Options(systemId, prefix));
            IReadOnlyList<PersistedEvent> events = (await inspector.ReadEventsAsync()).Records;
            Assert.All(events, e => Assert.Equal(systemId, e.SystemId));
            Assert.Equal(actors, events.Count(e => e.EventType == "ActorStarted"));
            Assert.Equal(actors, events.Count(e => e.EventType == "ActorStopped"));
            Assert.Equal(actors * 10, (await inspector.ReadDeadLettersAsync()).Records.Count);
            Assert.NotEmpty((await inspector.ReadAuditsAsync()).Records);
            Assert.All(events, e => Assert.Equal(systemId, e.ActorAddress!.Value.System));
        }

        Assert.Equal(["billing", "orders"], await RedisStreamsStore.ListSystemIdsAsync(redis.RawConnection, prefix));

        async Task RunSystemAsync(string systemId, int actors)
        {
            var backend = await RedisStreamsPersistenceBackend.ConnectAsync(redis.Options(systemId, prefix));
            await using var system = new ActorSystem(new ActorSystemOptions { SystemId = systemId, Persistence = backend });
            await system.StartAsync();
            var refs = Enumerable.Range(0, actors).Select(i => system.Spawn(() => new Echo(), name: $"{systemId}-{i}")).ToArray();
            foreach (ActorRef actor in refs)
            {
                Assert.Equal(7, await actor.AskAsync<int>(7));
            }

            system.Audit();
            foreach (ActorRef actor in refs)
            {
                await system.StopAsync(actor);
                for (int m = 0; m < 10; m++)
                {
                    actor.Tell(m); // to a stopped actor: a dead letter
                }
            }

            await system.FlushPersistenceAsync();
            Assert.Equal(0, system.PersistenceWriteErrors);
        }
    }

    [Fact]
    public async Task An_actor_system_keeps_processing_while_redis_is_down_and_persists_again_after_it_restarts()
    {
        await using RedisServer server = await RedisServer.StartAsync(appendOnly: true);
        RedisStreamsOptions options = server.Options("shop");
        var backend = await RedisStreamsPersistenceBackend.ConnectAsync(options);
        await using var system = new ActorSystem(new ActorSystemOptions { SystemId = "shop", Persistence = backend });
        await system.StartAsync();
        ActorRef before = system.Spawn(() => new Echo(), name: "before");
        Assert.Equal(1, await before.AskAsync<int>(1));
        await system.FlushPersistenceAsync();
        Assert.Equal(0, system.PersistenceWriteErrors);

        await server.KillAsync();
        ActorRef during = system.Spawn(() => new Echo(), name: "during");
        Assert.Equal(2, await during.AskAsync<int>(2));
        Assert.Equal(3, await before.AskAsync<int>(3));
        await system.FlushPersistenceAsync();
        Assert.True(system.PersistenceWriteErrors > 0);
        Assert.True(backend.GetMetricsSnapshot().WriteErrors > 0);

        await server.RestartAsync();
        ActorRef after = null!;
        await Poll.UntilAsync(
            async () =>
            {
                long errors = system.PersistenceWriteErrors;
                after = system.Spawn(() => new Echo());

                // The reply proves the actor started, so its ActorStarted event is queued before the flush.
                Assert.Equal(4, await after.AskAsync<int>(4));
                await system.FlushPersistenceAsync();
                return system.PersistenceWriteErrors == errors;
            },
            Timeout,
            "an actor's start to be persisted after the restart");

        var started = (await ReadAsync(options)).Where(e => e.EventType == "ActorStarted").Select(e => e.ActorAddress).ToHashSet();
        Assert.Contains(before.Address, started);
        Assert.Contains(after.Address, started);
    }

    private static async Task<IReadOnlyList<PersistedEvent>> ReadAsync(RedisStreamsOptions options)
    {
        await using var reader = await RedisStreamsPersistenceBackend.ConnectAsync(options with { MetricsPublishInterval = null });
        return (await reader.ReadEventsAsync()).Records;
    }

    private sealed class Echo : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken) => new(message);
    }
}
