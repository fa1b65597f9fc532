using System.Globalization;
using Papyra.Cli.Commands.Backup;
using Papyra.Cli.Commands.Dashboard;
using Papyra.Cli.Commands.Doctor;
using Papyra.Cli.Commands.Export;
using Papyra.Cli.Errors;
using Papyra.Cli.Commands.Inspect;
using Papyra.Cli.Commands.Metrics;
using Papyra.Cli.Commands.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli;

/// <summary>
/// The command tree, declared once: <see cref="Configure"/> registers it with Spectre.Console.Cli
/// and the approved surface (<c>api/cli.txt</c>) is generated from the same declaration.
/// </summary>
internal static class CommandTree
{
    public const string ApplicationName = "papyra";

    public static IReadOnlyList<CommandGroup> Groups { get; } =
    [
        new("doctor", "Diagnose a store the way an actor system does at startup.",
        [
            CommandEntry.Of<DoctorRunCommand, DoctorRunCommand.Settings>("run", DoctorRunCommand.Description),
        ]),
        new("persistence", "Scan, recover, compact and inspect a store.",
        [
            CommandEntry.Of<PersistenceScanCommand, PersistenceScanCommand.Settings>("scan", PersistenceScanCommand.Description),
            CommandEntry.Of<PersistenceRecoverCommand, PersistenceRecoverCommand.Settings>("recover", PersistenceRecoverCommand.Description),
            CommandEntry.Of<PersistenceCompactCommand, PersistenceCompactCommand.Settings>("compact", PersistenceCompactCommand.Description),
            CommandEntry.Of<PersistenceInspectCommand, PersistenceInspectCommand.Settings>("inspect", PersistenceInspectCommand.Description),
            CommandEntry.Of<PersistenceStartupCheckCommand, PersistenceStartupCheckCommand.Settings>("startup-check", PersistenceStartupCheckCommand.Description),
            CommandEntry.Of<PersistenceAuditCommand, PersistenceAuditCommand.Settings>("audit", PersistenceAuditCommand.Description),
            CommandEntry.Of<PersistenceMigrateKeysCommand, PersistenceMigrateKeysCommand.Settings>("migrate-keys", PersistenceMigrateKeysCommand.Description),
        ]),
        new("inspect", "List the events, audits and dead letters a store holds.",
        [
            CommandEntry.Of<InspectEventsCommand, InspectEventsCommand.Settings>("events", InspectEventsCommand.Description),
            CommandEntry.Of<InspectAuditsCommand, InspectAuditsCommand.Settings>("audits", InspectAuditsCommand.Description),
            CommandEntry.Of<InspectDeadLettersCommand, InspectDeadLettersCommand.Settings>("dead-letters", InspectDeadLettersCommand.Description),
            CommandEntry.Of<InspectSummaryCommand, InspectSummaryCommand.Settings>("summary", InspectSummaryCommand.Description),
        ]),
        new("metrics", "Show or reset the persistence metrics of a running system.",
        [
            CommandEntry.Of<MetricsPersistenceCommand, MetricsPersistenceCommand.Settings>("persistence", MetricsPersistenceCommand.Description),
            CommandEntry.Of<MetricsResetCommand, MetricsResetCommand.Settings>("reset", MetricsResetCommand.Description),
        ]),
        new("backup", "Back up a store online into one archive, verify an archive, restore it.",
        [
            CommandEntry.Of<BackupCreateCommand, BackupCreateCommand.Settings>("create", BackupCreateCommand.Description),
            CommandEntry.Of<BackupVerifyCommand, BackupVerifyCommand.Settings>("verify", BackupVerifyCommand.Description),
            CommandEntry.Of<BackupRestoreCommand, BackupRestoreCommand.Settings>("restore", BackupRestoreCommand.Description),
        ]),
    ];

    /// <summary>Commands that stand alone, outside any group (<c>papyra export</c>, <c>papyra dashboard</c>).</summary>
    public static IReadOnlyList<CommandEntry> TopLevel { get; } =
    [
        CommandEntry.Of<ExportCommand, ExportCommand.Settings>("export", ExportCommand.Description),
        CommandEntry.Of<DashboardCommand, DashboardCommand.Settings>("dashboard", DashboardCommand.Description),
    ];

    /// <summary>
    /// A group named without a command (<c>papyra persistence</c>) shows the group's help and
    /// exits 0, as the original CLI did, instead of Spectre's exit code 1.
    /// </summary>
    /// <remarks>
    /// An option that takes a value but is given none (<c>--path</c> last, or followed by another
    /// option) is rejected here: Spectre.Console.Cli 0.57 would bind an internal placeholder instead.
    /// </remarks>
    public static string[] NormaliseArguments(string[] args)
    {
        if (args is [string only] && Groups.Any(g => string.Equals(g.Name, only, StringComparison.Ordinal)))
        {
            return [only, "--help"];
        }

        for (int i = 0; i < args.Length; i++)
        {
            if (ValueOptions.Contains(args[i]) && (i == args.Length - 1 || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                throw new CliUsageException($"The option {args[i]} needs a value.");
            }
        }

        return args;
    }

    /// <summary>Every option, across the tree, that takes a value (<c>--path</c>, <c>--mode</c>, …).</summary>
    private static HashSet<string> ValueOptions { get; } =
    [
        .. Groups.SelectMany(g => g.Commands).Concat(TopLevel)
            .SelectMany(c => c.SettingsType.GetProperties())
            .Select(p => p.GetCustomAttributes(typeof(CommandOptionAttribute), inherit: true).OfType<CommandOptionAttribute>().FirstOrDefault())
            .Where(o => o is { ValueName: not null })
            .SelectMany(o => o!.LongNames.Select(n => "--" + n).Concat(o.ShortNames.Select(n => "-" + n))),
    ];

    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName(ApplicationName);
        config.SetApplicationVersion(typeof(CommandTree).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        config.Settings.Culture = CultureInfo.InvariantCulture;
        config.Settings.StrictParsing = true;
        config.Settings.ShowOptionDefaultValues = true;

        // Failures reach the error boundary, which maps them to the exit-code contract.
        config.PropagateExceptions();

        foreach (CommandGroup group in Groups)
        {
            config.AddBranch(group.Name, branch =>
            {
                branch.SetDescription(group.Description);
                foreach (CommandEntry command in group.Commands)
                {
                    command.Register(branch);
                }
            });
        }

        foreach (CommandEntry command in TopLevel)
        {
            command.RegisterTopLevel(config);
        }
    }
}
