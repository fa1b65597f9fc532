using System.Globalization;
using System.Text;
using Papyra.Persistence.Redis.Connection;

namespace Papyra.Persistence.Redis;

/// <summary>
/// Where and how the Redis Streams backend stores an actor system's records: the Redis server,
/// the key layout (<see cref="KeyPrefix"/> and <see cref="SystemId"/>), the encoding, retention and
/// timeouts. Build one from a URL with <see cref="FromUrl"/> and adjust it with <c>with</c>.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> and every message Papyra logs or throws show the password as <c>***</c>.
/// </remarks>
public sealed record RedisStreamsOptions
{
    /// <summary>The default key prefix, as in Python Papyra.</summary>
    public const string DefaultKeyPrefix = "papyra";

    /// <summary>The default system id, as in Python Papyra.</summary>
    public const string DefaultSystemId = "local";

    /// <summary>The Redis host name or IP address; <c>localhost</c> by default.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>The Redis port; 6379 by default.</summary>
    public int Port { get; init; } = RedisUrl.DefaultPort;

    /// <summary>
    /// Further endpoints (<c>host:port</c>) of the same deployment, tried besides <see cref="Host"/>:<see cref="Port"/>:
    /// the nodes of a Redis Cluster (the client discovers the whole cluster from any node that answers, and
    /// follows failovers and slot moves by itself). Empty by default; a URL gives them as
    /// <c>redis://host1:7000,host2:7001,host3:7002</c>. Credentials and TLS apply to every endpoint.
    /// </summary>
    public IReadOnlyList<string> AdditionalEndpoints { get; init; } = [];

    /// <summary>The ACL user name, when the server uses ACL users; <see langword="null"/> for the default user.</summary>
    public string? User { get; init; }

    /// <summary>The password (<c>AUTH</c>); never logged or printed.</summary>
    public string? Password { get; init; }

    /// <summary>The Redis logical database; 0 by default.</summary>
    public int Database { get; init; }

    /// <summary>Whether to connect with TLS (<c>rediss://</c>).</summary>
    public bool UseTls { get; init; }

    /// <summary>
    /// A certificate file (PEM or DER) of the certificate authority that signed the server's TLS
    /// certificate, trusted for this connection in addition to the system's store: for servers with
    /// a private CA. Only with <see cref="UseTls"/>; the certificate must still name the host.
    /// </summary>
    public string? TlsCaCertificatePath { get; init; }

    /// <summary>How long connecting may take; 5 seconds by default.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one Redis command may take before it fails; 5 seconds by default.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait between reconnection attempts after the connection is lost; 500 ms by default.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The first segment of every key; <c>papyra</c> by default.</summary>
    public string KeyPrefix { get; init; } = DefaultKeyPrefix;

    /// <summary>The id of the actor system whose stream this backend writes and reads; <c>local</c> by default.</summary>
    public string SystemId { get; init; } = DefaultSystemId;

    /// <summary>
    /// How the system's keys are named: <see cref="RedisKeyLayout.Legacy"/> (<c>papyra:orders:records</c>, the
    /// default, so every existing store keeps its keys) or <see cref="RedisKeyLayout.HashTagged"/>
    /// (<c>papyra:{orders}:records</c>), which a Redis Cluster requires.
    /// </summary>
    public RedisKeyLayout KeyLayout { get; init; } = RedisKeyLayout.Legacy;

    /// <summary>How new records are encoded; readers accept both encodings whatever this says.</summary>
    public RedisRecordEncoding Encoding { get; init; } = RedisRecordEncoding.MessagePack;

    /// <summary>
    /// Replicated durability: how many replicas must have received a record before its append completes
    /// (<c>WAIT numreplicas timeout</c> after the <c>XADD</c>, on the master that stored it). 0 (the default)
    /// completes when the master acknowledged the <c>XADD</c>. With 1 or more, an append that fewer replicas
    /// acknowledged within <see cref="ReplicaAckTimeout"/> fails with an <see cref="IOException"/> (counted in
    /// <c>write_errors</c>): the record is on the master and may still reach the replicas, but a failover
    /// before it does can lose it. See the package README for what each setting survives.
    /// </summary>
    public int MinReplicas { get; init; }

    /// <summary>How long an append waits for <see cref="MinReplicas"/> replicas to acknowledge it; 1 second by default. Must be shorter than <see cref="OperationTimeout"/>.</summary>
    public TimeSpan ReplicaAckTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The retention policy; <see langword="null"/> keeps everything.</summary>
    public RetentionPolicy? Retention { get; init; }

    /// <summary>
    /// Whether appends trim the stream with <c>XADD … MAXLEN ~ max_records</c> when the retention
    /// policy has <see cref="RetentionPolicy.MaxRecords"/>. Approximate trimming never removes a
    /// record that retention keeps; it only bounds memory. <see langword="true"/> by default.
    /// </summary>
    public bool TrimOnWrite { get; init; } = true;

    /// <summary>How many of the newest entries a scan checks; 0 checks every entry. 1000 by default, as in Python Papyra.</summary>
    public int ScanSampleSize { get; init; } = 1000;

    /// <summary>How many entries one <c>XRANGE</c> call fetches while reading; 1000 by default.</summary>
    public int ReadPageSize { get; init; } = 1000;

    /// <summary>
    /// How often the backend publishes its metrics snapshot into the Redis hash the CLI reads
    /// (<see cref="RedisStreamKeys.Metrics"/>); <see langword="null"/> disables publishing. 5 seconds by default.
    /// </summary>
    public TimeSpan? MetricsPublishInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The server's address as a URL with the password redacted, for example <c>redis://:***@cache:6379/0</c>.</summary>
    public string RedactedUrl => RedisUrl.Format(Host, Port, Database, UseTls, User, Password is not null, AdditionalEndpoints);

    /// <summary>The keys of <see cref="SystemId"/> under <see cref="KeyPrefix"/> in <see cref="KeyLayout"/>.</summary>
    public RedisStreamKeys Keys => new(KeyPrefix, SystemId, KeyLayout);

    /// <summary>
    /// Creates options from a URL: <c>redis://[[user]:password@]host[:port][/db]</c>, or
    /// <c>rediss://…</c> for TLS. Percent-encoded characters in the user and password are decoded.
    /// Several endpoints (the nodes of a Redis Cluster) are separated by commas:
    /// <c>redis://:secret@node1:7000,node2:7001,node3:7002</c>; the first is <see cref="Host"/> and
    /// <see cref="Port"/>, the others <see cref="AdditionalEndpoints"/>.
    /// </summary>
    /// <param name="url">The URL.</param>
    /// <returns>Options for that server with every other setting at its default.</returns>
    /// <exception cref="ArgumentException">The URL is malformed; the message shows it with the password redacted.</exception>
    public static RedisStreamsOptions FromUrl(string url) => RedisUrl.Parse(url, new RedisStreamsOptions());

    /// <summary>Returns a copy of these options with the server settings taken from <paramref name="url"/>.</summary>
    /// <param name="url">The URL (see <see cref="FromUrl"/>).</param>
    /// <returns>The new options.</returns>
    /// <exception cref="ArgumentException">The URL is malformed.</exception>
    public RedisStreamsOptions WithUrl(string url) => RedisUrl.Parse(url, this);

    /// <summary>Checks every setting and throws with a message naming the first bad one.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Invalid Redis options: Host is empty.", nameof(Host));
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Invalid Redis options: Port {Port.ToString(CultureInfo.InvariantCulture)} is outside 1-65535.", nameof(Port));
        }

        ArgumentNullException.ThrowIfNull(AdditionalEndpoints, nameof(AdditionalEndpoints));
        foreach (string endpoint in AdditionalEndpoints)
        {
            try
            {
                RedisUrl.ParseEndpoint(endpoint, RedactedUrl);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"Invalid Redis options: the endpoint '{endpoint}' of AdditionalEndpoints is not host[:port].", nameof(AdditionalEndpoints));
            }
        }

        if (Database < 0)
        {
            throw new ArgumentException($"Invalid Redis options: Database {Database.ToString(CultureInfo.InvariantCulture)} is negative.", nameof(Database));
        }

        if (TlsCaCertificatePath is { } caPath)
        {
            if (!UseTls)
            {
                throw new ArgumentException($"Invalid Redis options: TlsCaCertificatePath '{caPath}' is set but TLS is off (use a rediss:// URL or UseTls).", nameof(TlsCaCertificatePath));
            }

            if (!File.Exists(caPath))
            {
                throw new ArgumentException($"Invalid Redis options: TlsCaCertificatePath '{caPath}' does not name a file.", nameof(TlsCaCertificatePath));
            }
        }

        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(OperationTimeout, nameof(OperationTimeout));
        RequirePositive(ReconnectInterval, nameof(ReconnectInterval));
        RequirePositive(ReplicaAckTimeout, nameof(ReplicaAckTimeout));
        if (MinReplicas < 0)
        {
            throw new ArgumentException($"Invalid Redis options: MinReplicas {MinReplicas.ToString(CultureInfo.InvariantCulture)} is negative.", nameof(MinReplicas));
        }

        if (MinReplicas > 0 && ReplicaAckTimeout >= OperationTimeout)
        {
            throw new ArgumentException($"Invalid Redis options: ReplicaAckTimeout {ReplicaAckTimeout} must be shorter than OperationTimeout {OperationTimeout} (WAIT holds the command that long).", nameof(ReplicaAckTimeout));
        }
        if (MetricsPublishInterval is { } interval)
        {
            RequirePositive(interval, nameof(MetricsPublishInterval));
        }

        RedisStreamKeys.ValidatePrefix(KeyPrefix);
        RedisStreamKeys.ValidateSystemId(SystemId);
        RedisStreamKeys.ValidateLayout(KeyPrefix, KeyLayout);
        if (!Enum.IsDefined(Encoding))
        {
            throw new ArgumentException($"Invalid Redis options: Encoding {Encoding} is not MessagePack or Json.", nameof(Encoding));
        }

        if (ScanSampleSize < 0)
        {
            throw new ArgumentException($"Invalid Redis options: ScanSampleSize {ScanSampleSize.ToString(CultureInfo.InvariantCulture)} is negative (0 scans every entry).", nameof(ScanSampleSize));
        }

        if (ReadPageSize < 1)
        {
            throw new ArgumentException($"Invalid Redis options: ReadPageSize {ReadPageSize.ToString(CultureInfo.InvariantCulture)} must be 1 or greater.", nameof(ReadPageSize));
        }
    }

    /// <summary>Describes the options with the password redacted.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{RedactedUrl} prefix={KeyPrefix} system={SystemId} encoding={Encoding}");
        if (KeyLayout != RedisKeyLayout.Legacy)
        {
            text.Append(CultureInfo.InvariantCulture, $" layout={KeyLayout}");
        }

        if (MinReplicas > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" min_replicas={MinReplicas}");
        }

        if (Retention is { IsUnlimited: false } retention)
        {
            text.Append(CultureInfo.InvariantCulture, $" retention(max_records={retention.MaxRecords}, max_age_seconds={retention.MaxAgeSeconds}, max_total_bytes={retention.MaxTotalBytes})");
        }

        return text.ToString();
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Invalid Redis options: {name} {value} must be positive.", name);
        }
    }
}
