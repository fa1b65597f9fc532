using System.Globalization;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Consumers;

// Usage: <url> <key prefix> <system id> <legacy|hash_tagged> <group> <consumer> <batch size>
// Reads a batch, prints "got <id>" for each entry and "holding <n>", then waits for a line on stdin:
// "ack" acknowledges the batch and prints "acked <n>". Stdin closing (the parent test died) ends the process.
// The parent SIGKILLs it while it holds a batch, and checks that another consumer claims those entries.
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
