using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using Papyra.Cli.Configuration;
using Spectre.Console.Cli;

namespace Papyra.Cli.Surface;

/// <summary>
/// Renders the CLI contract as text (<c>api/cli.txt</c>): every command, option, default, the
/// config keys, the environment variables and the exit codes. Generated from
/// <see cref="CommandTree"/>, the same declaration the app is configured from, so a change to the
/// contract shows up as a reviewed diff.
/// </summary>
internal static class CliSurface
{
    public static string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# The papyra command-line surface: the contract scripts rely on.");
        text.AppendLine("# Generated from the command tree by Papyra.Cli.Tests; approve a deliberate change with PAPYRA_APPROVE=1.");
        foreach (CommandGroup group in CommandTree.Groups)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"## papyra {group.Name}: {group.Description}").AppendLine();
            foreach (CommandEntry command in group.Commands)
            {
                text.AppendLine();
                AppendCommand(text, $"papyra {group.Name} {command.Name}", command);
            }
        }

        foreach (CommandEntry command in CommandTree.TopLevel)
        {
            text.AppendLine();
            text.Append(CultureInfo.InvariantCulture, $"## papyra {command.Name}: {command.Description}").AppendLine();
            text.AppendLine();
            AppendCommand(text, $"papyra {command.Name}", command);
        }

        text.AppendLine();
        text.AppendLine("## Store resolution (first wins for each setting)");
        text.AppendLine("--path, then --backend/--redis-url/--redis-tls-ca/--system-id/--key-prefix and the retention and line-limit options, then the config file (--config, PAPYRA_CONFIG or ./papyra.json), then PAPYRA_* environment variables. --path alone selects the json backend.");
        text.AppendLine();
        text.AppendLine("## Config file keys (papyra.json)");
        foreach (string key in SettingKeys.Names)
        {
            text.AppendLine(key);
        }

        text.AppendLine();
        text.AppendLine("## Environment variables");
        foreach (string variable in SettingKeys.EnvironmentVariables)
        {
            text.AppendLine(variable);
        }

        text.AppendLine();
        text.AppendLine("## Exit codes");
        foreach ((int code, string name, string meaning) in ExitCodeTable.Entries.OrderBy(e => e.Code))
        {
            text.Append(CultureInfo.InvariantCulture, $"{code,3}  {name,-22}  {meaning}").AppendLine();
        }

        return text.ToString();
    }

    private static void AppendCommand(StringBuilder text, string invocation, CommandEntry command)
    {
        string arguments = string.Concat(Arguments(command.SettingsType).Select(a => " " + a));
        text.Append(invocation).Append(arguments).AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  {command.Description}").AppendLine();
        foreach (string option in Options(command.SettingsType))
        {
            text.Append("  ").AppendLine(option);
        }
    }

    private static IEnumerable<string> Arguments(Type settingsType)
        => Hierarchy(settingsType)
            .SelectMany(level => level.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(p => p.GetCustomAttribute<CommandArgumentAttribute>())
            .OfType<CommandArgumentAttribute>()
            .OrderBy(a => a.Position)
            .Select(a => a.IsRequired ? $"<{a.ValueName}>" : $"[{a.ValueName}]");

    private static IEnumerable<string> Options(Type settingsType)
    {
        foreach (Type level in Hierarchy(settingsType))
        {
            foreach (PropertyInfo property in level.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option)
                {
                    continue;
                }

                string names = string.Join(", ", option.ShortNames.Select(n => "-" + n).Concat(option.LongNames.Select(n => "--" + n)));
                string signature = option.ValueName is { } value ? $"{names} <{value}>" : names;
                string? defaultValue = property.GetCustomAttribute<DefaultValueAttribute>()?.Value?.ToString();
                string description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty;
                yield return defaultValue is null
                    ? $"{signature,-30} {description}"
                    : $"{signature,-30} {description} [default: {defaultValue}]";
            }
        }
    }

    private static IEnumerable<Type> Hierarchy(Type type)
    {
        var chain = new Stack<Type>();
        for (Type? current = type; current is not null && current != typeof(CommandSettings); current = current.BaseType)
        {
            chain.Push(current);
        }

        return chain;
    }
}
