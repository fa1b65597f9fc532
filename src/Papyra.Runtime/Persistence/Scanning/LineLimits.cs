namespace Papyra.Persistence.Scanning;

/// <summary>
/// The limits a file store reads and writes lines with: the longest line (bytes, without its
/// newline) and the deepest JSON nesting. Lines beyond either are reported, never buffered past
/// the line limit.
/// </summary>
internal readonly record struct LineLimits(int MaxLineBytes, int MaxDepth)
{
    /// <summary>The defaults (SPEC §5 "Line limits"): 64 MiB lines, 1,000 levels.</summary>
    public static LineLimits Default => new(Json.JsonFilePersistenceOptions.DefaultMaxLineBytes, Json.JsonFilePersistenceOptions.DefaultMaxNestingDepth);
}
