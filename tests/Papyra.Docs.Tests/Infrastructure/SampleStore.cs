using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Docs.Tests.Infrastructure;

/// <summary>
/// A real JSON-lines store written by a real actor system: actors started, one crashed and restarted, a
/// dead letter and an audit; what the guide's examples read. Deleted with the test.
/// </summary>
internal sealed class SampleStore : IDisposable
{
    private SampleStore(string directory)
    {
        Directory = directory;
        Path = System.IO.Path.Combine(directory, "events.ndjson");
    }

    public string Directory { get; }

    public string Path { get; }

    public static async Task<SampleStore> CreateAsync()
    {
        var store = new SampleStore(System.IO.Directory.CreateTempSubdirectory("papyra-guide-").FullName);
        await using (var system = new ActorSystem(new ActorSystemOptions
        {
            SystemId = "orders",
            Persistence = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = store.Path, Durability = PersistenceDurability.Flush }),
        }))
        {
            await system.StartAsync();
            ActorRef worker = system.Spawn(() => new Worker(), name: "worker", policy: SupervisionPolicy.Restart);
            Assert.Equal("ok", await worker.AskAsync<string>("ping", TimeSpan.FromSeconds(10)));
            worker.Tell("crash");
            await system.WaitForEventAsync<ActorRestarted>(e => e.Address == worker.Address, TimeSpan.FromSeconds(10));
            system.Stop(worker);
            await system.WaitForEventAsync<ActorStopped>(e => e.Address == worker.Address, TimeSpan.FromSeconds(10));
            worker.Tell("too late");
            system.Audit();
        }

        return store;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private sealed class Worker : Actor
    {
        protected override ValueTask<object?> ReceiveAsync(object message, CancellationToken cancellationToken)
            => message is "crash" ? throw new InvalidOperationException("crash") : new("ok");
    }
}
