namespace Papyra.Generators.Benchmarks;

public sealed record Increment(int By);
public sealed record Decrement(int By);
public sealed record Reset;
public sealed record Touch;
public sealed record Rename(string Name);
public sealed record Tag(string Value);
public sealed record Flag(bool On);
public sealed record GetTotal;
public sealed record Sync;
