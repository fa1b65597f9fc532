namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>
/// A real redis-server that accepts only TLS, with a server certificate from a private CA made for
/// the test run; shared by the tests of one class (backend and CLI tests alike).
/// </summary>
public sealed class TlsRedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public RedisServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await RedisServer.StartTlsAsync(Certificates);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Certificates.Dispose();
    }
}
