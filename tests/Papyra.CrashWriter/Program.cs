using System.Globalization;
using System.Text.Json;
using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Json;

// Usage:
//   append  <path> <seed>               append events {"seq": n} with Fsync, 8 in flight; print "ack <n>" once each write completed
//   compact <path> <maxRecords> <count> alternate: append 20 acked events, print "compacting <before> <after>", compact, print "compacted"
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
    await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = path, PublishMetrics = false });
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
else
{
    long maxRecords = long.Parse(args[2], CultureInfo.InvariantCulture);
    long count = long.Parse(args[3], CultureInfo.InvariantCulture);
    long seq = count;
    await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions
    {
        Path = path,
        PublishMetrics = false,
        Retention = new RetentionPolicy(maxRecords: maxRecords),
    });
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
        await backend.CompactAsync();
        count = after;
        output.WriteLine("compacted");
        output.Flush();
    }
}

static PersistedEvent Event(long seq, string filler)
{
    using JsonDocument payload = JsonDocument.Parse($"{{\"seq\":{seq.ToString(CultureInfo.InvariantCulture)},\"filler\":\"{filler}\"}}");
    return new PersistedEvent("local", new ActorAddress("local", 1), "Crash", payload.RootElement, seq);
}
