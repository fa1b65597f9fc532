using Papyra.Cli.Rendering;
using Papyra.Persistence;
using Spectre.Console.Cli;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence inspect</c>: what the store is and what it holds.</summary>
internal sealed class PersistenceInspectCommand : AsyncCommand<PersistenceInspectCommand.Settings>
{
    public const string Description = "Describe a store: backend, location, retention, capabilities and record counts after retention.";

    /// <summary>The store and the retention applied to the counts.</summary>
    public sealed class Settings : RetentionStoreSettings
    {
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        => StoreCounter.OpenCountAndRenderAsync(settings, (output, opened, counts) => StoreRenderer.Inspect(output, opened.View, opened.Backend.Retention, PersistenceBackendCapabilities.Of(opened.Backend), counts), cancellationToken);
}
