using StackExchange.Redis;

namespace Papyra.Persistence.Redis.Connection;

/// <summary>Turns <see cref="RedisStreamsOptions"/> into a StackExchange.Redis connection.</summary>
internal static class RedisConnectionFactory
{
    public static ConfigurationOptions ToConfiguration(RedisStreamsOptions options)
    {
        var configuration = new ConfigurationOptions
        {
            // Keep retrying in the background: losing Redis must never take the actor system down.
            AbortOnConnectFail = false,

            // Fail writes at once while disconnected instead of queueing them: a write either
            // reaches Redis or is reported failed (and counted), never held in an unbounded backlog.
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = ToMilliseconds(options.ConnectTimeout),
            SyncTimeout = ToMilliseconds(options.OperationTimeout),
            AsyncTimeout = ToMilliseconds(options.OperationTimeout),
            ReconnectRetryPolicy = new LinearRetry(ToMilliseconds(options.ReconnectInterval)),
            ConnectRetry = 1,
            DefaultDatabase = options.Database,
            Ssl = options.UseTls,
            User = options.User,
            Password = options.Password,
            ClientName = "papyra",
            HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(1000, ToMilliseconds(options.ReconnectInterval))),
        };
        configuration.EndPoints.Add(options.Host, options.Port);
        foreach (string endpoint in options.AdditionalEndpoints)
        {
            configuration.EndPoints.Add(RedisUrl.ParseEndpoint(endpoint, options.RedactedUrl));
        }

        if (options.UseTls)
        {
            configuration.SslHost = options.Host;
            if (options.TlsCaCertificatePath is { } caPath)
            {
                // Accepts a chain that ends at this CA; a name mismatch or any other error still fails.
                configuration.TrustIssuer(caPath);
            }
        }

        return configuration;
    }

    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisStreamsOptions options, bool requireConnection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        ConfigurationOptions configuration = ToConfiguration(options);

        // A caller that needs the connection now learns at once why it failed (a rejected password
        // is not an unreachable server); once connected, the multiplexer reconnects on its own either way.
        configuration.AbortOnConnectFail = requireConnection;
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex) when (ex.FailureType == ConnectionFailureType.AuthenticationFailure && TlsFailure(ex) is { } tls)
        {
            // The client refused the server's certificate: the same failure type as a wrong password.
            throw new IOException(
                $"Redis at {options.RedactedUrl} failed the TLS handshake: the server's certificate is not trusted or does not name the host ({tls.Message.TrimEnd('.')}); a private CA is trusted with TlsCaCertificatePath.",
                ex);
        }
        catch (RedisConnectionException ex) when (ex.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            throw new IOException($"Redis at {options.RedactedUrl} rejected the credentials: the user or password is wrong.", ex);
        }
        catch (RedisException ex)
        {
            throw new IOException($"Redis at {options.RedactedUrl} is unreachable: {ex.GetType().Name}.", ex);
        }

        if (requireConnection && !connection.IsConnected)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"Redis at {options.RedactedUrl} is unreachable (no connection within {options.ConnectTimeout.TotalSeconds:0.###} s).");
        }

        return connection;
    }

    private static System.Security.Authentication.AuthenticationException? TlsFailure(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is System.Security.Authentication.AuthenticationException tls)
            {
                return tls;
            }
        }

        return null;
    }

    private static int ToMilliseconds(TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
}
