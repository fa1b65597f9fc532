using System.Globalization;
using System.Text.Json;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;

// Usage:
//   append  <path> <seed> [json|rotating]  append events {"seq": n} with Fsync, 8 in flight; print "ack <n>" once each write completed
//   actors  <path> <json|rotating>      an actor system on the store: spawn and stop 20 actors, flush, print "ack <first id> <last id>", repeat
//   compact <path> <maxRecords> <count> alternate: append 20 acked events, print "compacting <before> <after>", compact, print "compacted"
//   compact-rotating <path> <maxRecords> <count>  the same on a rotating set (64 KiB files, up to 100 of them)
//   repair  <path>                      print "repairing", repair the store, print "repaired", then wait to be killed
// The parent test kills this process with SIGKILL at a random point and then checks the store.
// Safety net: when the parent test dies, stdin closes and the child exits instead of writing forever.
_ = Task.Run(() =>
{
    while (Console.In.Read() >= 0)
    {
    }

    Environment.Exit(3);
});

string mode = args[0];
string path = args[1];
TextWriter output = Console.Out;

if (mode == "append")
{
    var random = new Random(int.Parse(args[2], CultureInfo.InvariantCulture));
    await using IPersistenceBackend backend = Open(path, args.Length > 3 ? args[3] : "json");
    long next = 0;
    var gate = new Lock();
    async Task Producer()
    {
        while (true)
        {
            long seq;
            int filler;
            lock (gate)
            {
                seq = next++;
                filler = random.Next(0, 400);
            }

            await backend.RecordEventAsync(Event(seq, new string('x', filler)));
            lock (gate)
            {
                output.WriteLine($"ack {seq.ToString(CultureInfo.InvariantCulture)}");
                output.Flush();
            }
        }
    }

    await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(Producer)));
}
else if (mode == "actors")
{
    await using IPersistenceBackend backend = Open(path, args[2]);
    await using var system = new Papyra.ActorSystem(new Papyra.ActorSystemOptions { Persistence = backend });
    await system.StartAsync();
    while (true)
    {
        var batch = new List<Papyra.ActorRef>();
        for (int i = 0; i < 20; i++)
        {
            batch.Add(system.Spawn(() => new Idle()));
        }

        foreach (Papyra.ActorRef actor in batch)
        {
            await system.StopAsync(actor);
        }

        await system.FlushPersistenceAsync();
        output.WriteLine($"ack {batch[0].Address.Id.ToString(CultureInfo.InvariantCulture)} {batch[^1].Address.Id.ToString(CultureInfo.InvariantCulture)}");
        output.Flush();
    }
}
else if (mode == "repair")
{
    await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
    output.WriteLine("repairing");
    output.Flush();
    PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);
    output.WriteLine(report.IsClean ? "repaired" : "not clean");
    output.Flush();
    await Task.Delay(Timeout.Infinite);
}
else
{
    long maxRecords = long.Parse(args[2], CultureInfo.InvariantCulture);
    long count = long.Parse(args[3], CultureInfo.InvariantCulture);
    long seq = count;
    var retention = new RetentionPolicy(maxRecords: maxRecords);
    await using IPersistenceBackend backend = mode == "compact-rotating"
        ? new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = path, PublishMetrics = false, Retention = retention, MaxBytes = 64 * 1024, MaxFiles = 100 })
        : new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false, Retention = retention });
    var compactor = (IPersistenceCompactor)backend;
    while (true)
    {
        for (int i = 0; i < 20; i++)
        {
            await backend.RecordEventAsync(Event(seq, "filler"));
            output.WriteLine($"ack {seq.ToString(CultureInfo.InvariantCulture)}");
            seq++;
            count++;
        }

        long after = Math.Min(count, maxRecords);
        output.WriteLine($"compacting {count.ToString(CultureInfo.InvariantCulture)} {after.ToString(CultureInfo.InvariantCulture)}");
        output.Flush();
        await compactor.CompactAsync();
        count = after;
        output.WriteLine("compacted");
        output.Flush();
    }
}

static IPersistenceBackend Open(string path, string backend) => backend == "rotating"
    ? new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = path, PublishMetrics = false, MaxBytes = 256 * 1024, MaxFiles = 1000 })
    : new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });

static PersistedEvent Event(long seq, string filler)
{
    using JsonDocument payload = JsonDocument.Parse($"{{\"seq\":{seq.ToString(CultureInfo.InvariantCulture)},\"filler\":\"{filler}\"}}");
    return new PersistedEvent("local", new ActorAddress("local", 1), "Crash", payload.RootElement, seq);
}

/// <summary>An actor that only starts and stops.</summary>
internal sealed class Idle : Papyra.Actor
{
}
