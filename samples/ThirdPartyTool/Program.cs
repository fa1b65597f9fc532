using Papyra;
using Papyra.Persistence;
using ThirdPartyTool;

// Also declared in the project file (<PapyraTool>true</PapyraTool>); either one is enough.
[assembly: PapyraTool]

// Usage: ThirdPartyTool [event-type]
await using var backend = new SampleBackend();
var exporter = new EventExporter(backend);
var query = args.Length > 0 ? new PersistenceQuery { Type = args[0] } : null;
var (exported, skipped) = await exporter.ExportAsync(Console.Out, query);
await Console.Error.WriteLineAsync($"{exported} event(s) exported, {skipped} damaged record(s) skipped.");
return PapyraExitCodes.Success;
