using System.ComponentModel;
using Papyra.Cli.Errors;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Inspect;

/// <summary>The filters of listings whose records name an actor and a type: events and dead letters.</summary>
internal class InspectFilterSettings : InspectQuerySettings
{
    [CommandOption("--actor|--target <ADDRESS>")]
    [Description("Keep records of this actor address, system:id (events: actor_address; dead letters: target). --target is the Python original's spelling.")]
    public string? Actor { get; set; }

    [CommandOption("--type|--event-type <TYPE>")]
    [Description("Keep records whose type matches exactly (events: event_type; dead letters: message_type). --event-type is the Python original's spelling.")]
    public string? Type { get; set; }

    /// <inheritdoc/>
    public override PersistenceQuery ToQuery()
    {
        ActorAddress? actor = null;
        if (Actor is not null)
        {
            actor = ActorAddress.TryParse(Actor, out ActorAddress parsed)
                ? parsed
                : throw new CliUsageException(InvalidActor(Actor));
        }

        return base.ToQuery() with { Actor = actor, Type = Type };
    }

    private static string InvalidActor(string text)
    {
        try
        {
            ActorAddress.Parse(text);
            return $"Invalid --actor value '{text}'.";
        }
        catch (FormatException exception)
        {
            return $"Invalid --actor value: {exception.Message}";
        }
    }
}
