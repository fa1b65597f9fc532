using Papyra.Cli.Configuration;
using Papyra.Cli.Rendering;
using Papyra.Cli.Stores;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary>
/// <c>papyra persistence audit</c>: a retention and compliance report. The policy is the retention the
/// options, config file or environment give; the store is read whole (retention not applied), so the
/// report says what a compaction would remove. Exits 2 when the store violates its policy.
/// </summary>
internal sealed class PersistenceAuditCommand : AsyncCommand<PersistenceAuditCommand.Settings>
{
    public const string Description = "Audit a store against its retention policy (--max-records, --max-age-seconds, --max-total-bytes or the config's retention keys): records older than max_age_seconds, beyond max_records or max_total_bytes, by kind and by system. Read-only; exits 2 when the store violates the policy.";

    /// <summary>The store and the retention policy to audit it against.</summary>
    public sealed class Settings : RetentionStoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        RetentionPolicy policy = store.Settings.Retention;
        store = store with { Settings = store.Settings with { Retention = RetentionPolicy.Unlimited } };
        CliOutput output = CliOutput.For(settings);
        await using OpenedStore opened = await StoreOpener.OpenAsync(store, cancellationToken).ConfigureAwait(false);
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        RetentionAudit.Report report = await output
            .WithProgressAsync("Auditing", ct => RetentionAudit.RunAsync(opened.Backend, policy, now, ct), cancellationToken)
            .ConfigureAwait(false);
        AuditRenderer.Audit(output, opened.View, report);
        return report.Compliant ? PapyraExitCodes.Success : PapyraExitCodes.AnomaliesFound;
    }
}
