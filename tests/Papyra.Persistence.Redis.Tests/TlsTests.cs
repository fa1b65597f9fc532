using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Persistence.Redis.Tests;

/// <summary>A real redis-server that accepts only TLS, with a certificate from a private CA.</summary>
public sealed class TlsTests(TlsRedisFixture tls) : IClassFixture<TlsRedisFixture>
{
    private RedisServer Server => tls.Server;

    [Fact]
    public async Task Records_round_trip_over_tls_when_the_servers_ca_is_trusted()
    {
        RedisStreamsOptions options = Server.Options() with { TlsCaCertificatePath = tls.Certificates.CaCertificatePath };
        Assert.True(options.UseTls);
        Assert.StartsWith("rediss://", options.RedactedUrl, StringComparison.Ordinal);

        await using (var backend = await RedisStreamsPersistenceBackend.ConnectAsync(options))
        {
            await backend.RecordEventAsync(Records.Event(1));
            await backend.RecordEventAsync(Records.Event(2));
            Assert.Equal([1.0, 2.0], (await backend.ReadEventsAsync()).Records.Select(r => r.Timestamp));
        }
    }

    [Fact]
    public async Task A_server_certificate_from_an_unknown_ca_is_refused_with_a_message_that_says_so()
    {
        RedisStreamsOptions options = Server.Options();

        var error = await Assert.ThrowsAsync<IOException>(() => RedisStreamsPersistenceBackend.ConnectAsync(options));

        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
        Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains($"rediss://127.0.0.1:{Server.Port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password is wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_connection_to_a_tls_only_server_fails_as_unreachable()
    {
        RedisStreamsOptions options = Server.Options() with { UseTls = false, ConnectTimeout = TimeSpan.FromMilliseconds(500) };

        var error = await Assert.ThrowsAsync<IOException>(() => RedisStreamsPersistenceBackend.ConnectAsync(options));

        Assert.Contains($"redis://127.0.0.1:{Server.Port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_that_is_missing_or_given_without_tls_is_rejected_naming_it()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-ca-" + Guid.NewGuid().ToString("N") + ".pem");
        var noFile = Assert.Throws<ArgumentException>(() => (Server.Options() with { TlsCaCertificatePath = missing }).Validate());
        Assert.Contains(missing, noFile.Message, StringComparison.Ordinal);

        var noTls = Assert.Throws<ArgumentException>(() => (Server.Options() with { UseTls = false, TlsCaCertificatePath = tls.Certificates.CaCertificatePath }).Validate());
        Assert.Contains("TLS is off", noTls.Message, StringComparison.Ordinal);
    }
}
