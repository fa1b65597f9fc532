using Papyra;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Samples.QuickStart;

// The embedded default store: one JSON object per line, each write durable (fsync, group commit).
// Pass a path to put it elsewhere; inspect it afterwards with the papyra CLI (see README).
string storePath = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("quickstart-data", "events.ndjson"));
double runStarted = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalSeconds;
var system = new ActorSystem(new ActorSystemOptions
{
    SystemId = "quickstart",
    Persistence = new JsonFilePersistenceBackend(storePath),
    StartupCheck = new PersistenceStartupConfig(PersistenceStartupMode.Recover),   // repair a damaged store before any actor runs
});
await system.StartAsync();
Console.WriteLine($"store: {storePath}");

// Typed proxies generated from the actors' handler methods: one method per message.
GreeterActorRef greeter = system.SpawnGreeterActor("greeter");
CounterActorRef counter = system.SpawnCounterActor("counter");   // named: restarts on failure (3 times in 60 s)
CounterActorRef scratch = system.SpawnCounterActor();            // unnamed: stops on failure

Console.WriteLine(await greeter.GreetAsync(new Greet("Ada")));

counter.Add(new Add(2));   // a tell: Add has no result
counter.Add(new Add(3));
Console.WriteLine($"counter {counter.Address} total: {await counter.TotalAsync(new GetTotal())}");

// A supervised crash: the ask sees the exception after the actor was restarted with fresh state.
try
{
    await counter.FailAsync(new Fail("simulated fault"));
}
catch (InvalidOperationException ex)
{
    Console.WriteLine($"counter failed: {ex.Message}");
}

ActorRestarted restarted = await system.WaitForEventAsync<ActorRestarted>(e => e.Address == counter.Address);
Console.WriteLine($"counter restarted at the same address {restarted.Address}; total is now {await counter.TotalAsync(new GetTotal())}");

// A dead letter: a message to an actor that has stopped.
await system.StopAsync(scratch);
scratch.Add(new Add(1));
DeadLetter letter = system.GetRecentDeadLetters()[^1];
Console.WriteLine($"dead letter: {letter.MessageType} to {letter.Target} ({letter.Reason})");

// An audit of the registry and counters.
AuditReport audit = system.Audit();
Console.WriteLine("audit:");
foreach (string line in audit.SummaryLines())
{
    Console.WriteLine($"  {line}");
}

// Shutting down stops every actor and persists everything, including the final ActorStopped events.
await system.DisposeAsync();

// Read what this run left in the file through a fresh backend: it is all on disk.
await using var store = new JsonFilePersistenceBackend(storePath);
var thisRun = new PersistenceQuery { Since = runStarted };
PersistenceReadResult<PersistedEvent> events = await store.ReadEventsAsync(thisRun);
PersistenceReadResult<PersistedDeadLetter> deadLetters = await store.ReadDeadLettersAsync(thisRun);
PersistenceReadResult<PersistedAudit> audits = await store.ReadAuditsAsync(thisRun);
Console.WriteLine();
Console.WriteLine($"summary of this run, read back from {storePath}:");
Console.WriteLine($"  {events.Records.Count} events persisted: {string.Join(", ", events.Records.GroupBy(e => e.EventType).Select(g => $"{g.Key} x{g.Count()}"))}");
Console.WriteLine($"  {deadLetters.Records.Count} dead letter(s), {audits.Records.Count} audit(s) persisted; {system.PersistenceWriteErrors} write errors");
