using System.Globalization;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Consumers;

// Usage: write <url> <key prefix> <system id> <legacy|hash_tagged> <count>
//   a system's writer in its own process: appends <count> events (timestamps 1..count, pipelined), prints "written <count>".
// Usage: <url> <key prefix> <system id> <legacy|hash_tagged> <group> <consumer> <batch size>
// Reads a batch, prints "got <id>" for each entry and "holding <n>", then waits for a line on stdin:
// "ack" acknowledges the batch and prints "acked <n>". Stdin closing (the parent test died) ends the process.
// The parent SIGKILLs it while it holds a batch, and checks that another consumer claims those entries.
if (args[0] == "write")
{
    RedisStreamsOptions writerOptions = RedisStreamsOptions.FromUrl(args[1]) with
    {
        KeyPrefix = args[2],
        SystemId = args[3],
        KeyLayout = RedisStreamsBackendProvider.ParseKeyLayout(args[4]),
        MetricsPublishInterval = null,
    };
    int count = int.Parse(args[5], CultureInfo.InvariantCulture);
    await using RedisStreamsPersistenceBackend writer = await RedisStreamsPersistenceBackend.ConnectAsync(writerOptions);
    using var payload = System.Text.Json.JsonDocument.Parse("{}");
    await Task.WhenAll(Enumerable.Range(1, count).Select(i => writer.RecordEventAsync(
        new Papyra.Persistence.PersistedEvent(writerOptions.SystemId, new Papyra.ActorAddress(writerOptions.SystemId, 1), "ActorStarted", payload.RootElement.Clone(), i)).AsTask()));
    Console.Out.WriteLine($"written {count.ToString(CultureInfo.InvariantCulture)}");
    return 0;
}

RedisStreamsOptions options = RedisStreamsOptions.FromUrl(args[0]) with
{
    KeyPrefix = args[1],
    SystemId = args[2],
    KeyLayout = RedisStreamsBackendProvider.ParseKeyLayout(args[3]),
    MetricsPublishInterval = null,
};
await using RedisStreamsPersistenceBackend backend = await RedisStreamsPersistenceBackend.ConnectAsync(options);
RedisStreamConsumer consumer = backend.CreateConsumer(new RedisConsumerOptions(args[4], args[5]) { BatchSize = int.Parse(args[6], CultureInfo.InvariantCulture) });
TextWriter output = Console.Out;
while (true)
{
    IReadOnlyList<RedisStreamEntry> batch = await consumer.ReadAsync();
    if (batch.Count == 0)
    {
        output.WriteLine("empty");
        output.Flush();
        if (Console.In.ReadLine() is null)
        {
            return 3;
        }

        continue;
    }

    foreach (RedisStreamEntry entry in batch)
    {
        output.WriteLine($"got {entry.Id}");
    }

    output.WriteLine($"holding {batch.Count.ToString(CultureInfo.InvariantCulture)}");
    output.Flush();
    if (Console.In.ReadLine() is not "ack")
    {
        return 3;
    }

    long acked = await consumer.AckAsync(batch.Select(e => e.Id));
    output.WriteLine($"acked {acked.ToString(CultureInfo.InvariantCulture)}");
    output.Flush();
}
