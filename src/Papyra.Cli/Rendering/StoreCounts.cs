using Papyra.Persistence;

namespace Papyra.Cli.Rendering;

/// <summary>How many records of each kind a store holds after retention, and the damaged lines skipped.</summary>
internal sealed record StoreCounts(long Events, long Audits, long DeadLetters, long Skipped, PersistedAudit? LatestAudit);
