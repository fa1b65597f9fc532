namespace Papyra.Cli;

/// <summary>A command group (<c>persistence</c>) and its commands.</summary>
internal sealed record CommandGroup(string Name, string Description, IReadOnlyList<CommandEntry> Commands);
