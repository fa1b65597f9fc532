using Spectre.Console.Cli;

namespace Papyra.Cli;

/// <summary>One command: its name, description, settings type and how it registers itself (in a group, or at the top level).</summary>
internal sealed record CommandEntry(string Name, string Description, Type SettingsType, Action<IConfigurator<CommandSettings>> Register, Action<IConfigurator> RegisterTopLevel)
{
    public static CommandEntry Of<TCommand, TSettings>(string name, string description)
        where TCommand : class, ICommand<TSettings>
        where TSettings : CommandSettings
        => new(
            name,
            description,
            typeof(TSettings),
            branch => branch.AddCommand<TCommand>(name).WithDescription(description),
            root => root.AddCommand<TCommand>(name).WithDescription(description));
}
