using System.Globalization;
using Microsoft.Extensions.Logging;
using Papyra.Persistence.Configuration;

namespace Papyra.Persistence.Redis;

/// <summary>
/// The <c>redis</c> backend for hosts, the CLI and code that open stores by name
/// (<see cref="PersistenceBackendProviders"/>). It reads <see cref="PersistenceBackendSettings.Retention"/>,
/// <see cref="PersistenceBackendSettings.PublishMetrics"/> and these options:
/// <list type="table">
/// <item><term><c>url</c></term><description>Required: <c>redis://[user:password@]host[:port][/db]</c> or <c>rediss://…</c>; the nodes of a Redis Cluster separated by commas (<c>redis://node1:7000,node2:7001</c>).</description></item>
/// <item><term><c>system_id</c></term><description>Whose streams (default <c>local</c>).</description></item>
/// <item><term><c>key_prefix</c></term><description>The key prefix (default <c>papyra</c>).</description></item>
/// <item><term><c>key_layout</c></term><description><c>legacy</c> (default: <c>prefix:system:…</c>) or <c>hash_tagged</c> (<c>prefix:{system}:…</c>, required on a Redis Cluster).</description></item>
/// <item><term><c>min_replicas</c></term><description>Replicated durability: replicas that must acknowledge each append (<c>WAIT</c>; default 0).</description></item>
/// <item><term><c>replica_ack_timeout_ms</c></term><description>How long an append waits for them (default 1000).</description></item>
/// <item><term><c>tls_ca</c></term><description>A private CA certificate (PEM) to trust for <c>rediss://</c>.</description></item>
/// <item><term><c>scan_sample_size</c></term><description>Entries a scan checks, newest first (0: every entry).</description></item>
/// </list>
/// With <see cref="PersistenceBackendSettings.PublishMetrics"/> off (a tool inspecting another
/// process's store) the backend never publishes metrics over the running system's.
/// </summary>
public sealed class RedisStreamsBackendProvider : IPersistenceBackendProvider
{
    /// <summary>The option key of the server URL.</summary>
    public const string UrlOption = "url";

    /// <summary>The option key of the system id.</summary>
    public const string SystemIdOption = "system_id";

    /// <summary>The option key of the key prefix.</summary>
    public const string KeyPrefixOption = "key_prefix";

    /// <summary>The option key of the key layout: <c>legacy</c> or <c>hash_tagged</c> (<see cref="RedisKeyLayout"/>).</summary>
    public const string KeyLayoutOption = "key_layout";

    /// <summary>The option key of <see cref="RedisStreamsOptions.MinReplicas"/>.</summary>
    public const string MinReplicasOption = "min_replicas";

    /// <summary>The option key of <see cref="RedisStreamsOptions.ReplicaAckTimeout"/>, in milliseconds.</summary>
    public const string ReplicaAckTimeoutOption = "replica_ack_timeout_ms";

    /// <summary>The option key of the private CA certificate.</summary>
    public const string TlsCaOption = "tls_ca";

    /// <summary>The option key of the scan sample size.</summary>
    public const string ScanSampleSizeOption = "scan_sample_size";

    /// <inheritdoc/>
    public string Name => RedisStreamsPersistenceBackend.BackendName;

    /// <inheritdoc/>
    public PersistenceStoreLocation Locate(PersistenceBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RedisStreamsOptions options = ToOptions(settings);
        return new PersistenceStoreLocation(options.Keys.Records, options.RedactedUrl);
    }

    /// <inheritdoc/>
    public async ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(context);
        RedisStreamsOptions options = ToOptions(settings);
        try
        {
            return await RedisStreamsPersistenceBackend
                .ConnectAsync(options, context.LoggerFactory.CreateLogger<RedisStreamsPersistenceBackend>(), context.TimeProvider, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ArgumentException exception)
        {
            // A setting that does not fit the server found (the legacy key layout on a cluster): a configuration error.
            throw new PersistenceConfigurationException(SecretRedaction.Redact(exception.Message.Split(" (Parameter", 2)[0]) ?? "Invalid Redis settings.", exception);
        }
    }

    private static int WholeNumber(string option, string value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            ? number
            : throw new PersistenceConfigurationException($"Invalid redis option {option} '{value}': expected a whole number, 0 or more.");

    /// <summary>Reads a key layout name: <c>legacy</c> or <c>hash_tagged</c> (also <c>hashtagged</c>, <c>hash-tagged</c>; any case).</summary>
    /// <param name="value">The name.</param>
    /// <returns>The layout.</returns>
    /// <exception cref="PersistenceConfigurationException">The name is not a layout.</exception>
    public static RedisKeyLayout ParseKeyLayout(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "LEGACY" => RedisKeyLayout.Legacy,
            "HASHTAGGED" => RedisKeyLayout.HashTagged,
            _ => throw new PersistenceConfigurationException($"Invalid redis option {KeyLayoutOption} '{value}': expected legacy or hash_tagged."),
        };
    }

    /// <summary>The backend options the settings describe.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The validated options.</returns>
    /// <exception cref="PersistenceConfigurationException">The URL is missing or invalid, or an option is out of range; the message never shows a password.</exception>
    public static RedisStreamsOptions ToOptions(PersistenceBackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string url = settings.Option(UrlOption)
            ?? throw new PersistenceConfigurationException(
                "The redis backend needs a server URL; give one with --redis-url, the config key 'redis_url', PAPYRA_REDIS_URL or the backend option 'url'.");
        try
        {
            RedisStreamsOptions options = RedisStreamsOptions.FromUrl(url) with
            {
                SystemId = settings.Option(SystemIdOption) ?? RedisStreamsOptions.DefaultSystemId,
                KeyPrefix = settings.Option(KeyPrefixOption) ?? RedisStreamsOptions.DefaultKeyPrefix,
                KeyLayout = settings.Option(KeyLayoutOption) is { } layout ? ParseKeyLayout(layout) : RedisKeyLayout.Legacy,
                TlsCaCertificatePath = settings.Option(TlsCaOption),
                Retention = settings.Retention,
            };
            if (!settings.PublishMetrics)
            {
                options = options with { MetricsPublishInterval = null };
            }

            if (settings.Option(MinReplicasOption) is { } replicas)
            {
                options = options with { MinReplicas = WholeNumber(MinReplicasOption, replicas) };
            }

            if (settings.Option(ReplicaAckTimeoutOption) is { } ackTimeout)
            {
                int milliseconds = WholeNumber(ReplicaAckTimeoutOption, ackTimeout);
                options = options with
                {
                    ReplicaAckTimeout = TimeSpan.FromMilliseconds(milliseconds),
                    OperationTimeout = TimeSpan.FromMilliseconds(Math.Max(options.OperationTimeout.TotalMilliseconds, milliseconds + 1000)),
                };
            }

            if (settings.Option(ScanSampleSizeOption) is { } sample)
            {
                options = options with
                {
                    ScanSampleSize = int.TryParse(sample, NumberStyles.None, CultureInfo.InvariantCulture, out int size)
                        ? size
                        : throw new PersistenceConfigurationException($"Invalid redis option {ScanSampleSizeOption} '{sample}': expected a whole number, 0 or more."),
                };
            }

            options.Validate();
            return options;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw new PersistenceConfigurationException(
                SecretRedaction.Redact(exception.Message.Split(" (Parameter", 2)[0]) ?? "Invalid Redis settings.", exception);
        }
    }
}
