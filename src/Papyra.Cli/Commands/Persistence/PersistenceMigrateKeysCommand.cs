using System.Globalization;
using Papyra.Cli.Configuration;
using Papyra.Cli.Errors;
using Papyra.Cli.Rendering;
using Papyra.Persistence.Redis;
using Spectre.Console.Cli;
using StackExchange.Redis;

namespace Papyra.Cli.Commands.Persistence;

/// <summary><c>papyra persistence migrate-keys</c>: moves a Redis store from the legacy key layout to hash-tagged keys.</summary>
internal sealed class PersistenceMigrateKeysCommand : AsyncCommand<PersistenceMigrateKeysCommand.Settings>
{
    public const string Description = "For --backend redis: move a system's keys from the legacy layout (prefix:system:…) to hash-tagged keys (prefix:{system}:…, required on a Redis Cluster), copying every entry with its id, verifying, then deleting the old keys. Stop the system first; safe to run again after an interruption.";

    /// <summary>The Redis store whose keys move.</summary>
    public sealed class Settings : StoreSettings
    {
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        ResolvedStore store = settings.ResolveStore();
        CliOutput output = CliOutput.For(settings);
        if (!string.Equals(store.Backend, RedisStreamsPersistenceBackend.BackendName, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUsageException($"migrate-keys applies to the redis backend only, not {store.Backend}.");
        }

        RedisStreamsOptions options = RedisStreamsBackendProvider.ToOptions(store.Settings);
        await using IConnectionMultiplexer connection = await RedisStreamsStore.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        RedisKeyMigrationReport report = await output
            .WithProgressAsync("Migrating keys", ct => RedisKeyMigration.MigrateAsync(connection, options, ct), cancellationToken)
            .ConfigureAwait(false);
        if (output.Json)
        {
            output.WriteJson(w =>
            {
                w.WriteStartObject();
                w.WriteString("system_id", report.SystemId);
                w.WriteString("server", options.RedactedUrl);
                w.WriteNumber("entries_copied", report.EntriesCopied);
                w.WriteNumber("entries_verified", report.EntriesVerified);
                w.WriteStartArray("moved_keys");
                foreach (string moved in report.MovedKeys)
                {
                    w.WriteStringValue(moved);
                }

                w.WriteEndArray();
                w.WriteStartArray("consumer_groups");
                foreach (string group in report.ConsumerGroups)
                {
                    w.WriteStringValue(group);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else if (report.MovedKeys.Count == 0)
        {
            HealthRenderer.Info(output, $"No legacy keys of {report.SystemId} at {options.RedactedUrl}: nothing to migrate.");
        }
        else
        {
            HealthRenderer.Success(output, string.Create(
                CultureInfo.InvariantCulture,
                $"Moved {report.MovedKeys.Count} keys of {report.SystemId} to the hash-tagged layout: {report.EntriesCopied} entries copied, {report.EntriesVerified} verified; {report.ConsumerGroups.Count} consumer groups re-created. Open the store with --redis-key-layout hash_tagged."));
        }

        return PapyraExitCodes.Success;
    }
}
