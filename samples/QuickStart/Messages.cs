namespace Papyra.Samples.QuickStart;

/// <summary>Adds to the counter's running total.</summary>
internal sealed record Add(int Amount);

/// <summary>Asks for the running total.</summary>
internal sealed record GetTotal;

/// <summary>Makes the counter fail, to show supervision.</summary>
internal sealed record Fail(string Why);

/// <summary>Asks the greeter for a greeting.</summary>
internal sealed record Greet(string Name);
