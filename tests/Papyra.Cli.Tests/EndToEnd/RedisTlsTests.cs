using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>The CLI against a real redis-server that accepts only TLS, with a certificate from a private CA.</summary>
public sealed class RedisTlsTests(TlsRedisFixture tls) : IClassFixture<TlsRedisFixture>
{
    private RedisServer Server => tls.Server;

    [Fact]
    public async Task Scan_over_tls_trusts_the_ca_given_by_option_config_file_or_environment()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using (var writer = await RedisStreamsPersistenceBackend.ConnectAsync(Server.Options(prefix: prefix) with { TlsCaCertificatePath = tls.Certificates.CaCertificatePath }))
        {
            await writer.RecordEventAsync(new PersistedEvent("local", new ActorAddress("local", 1), "ActorStarted", null, 100));
        }

        string[] store = ["--backend", "redis", "--redis-url", Server.Url, "--key-prefix", prefix];
        CliResult byOption = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--json", .. store, "--redis-tls-ca", tls.Certificates.CaCertificatePath]);
        string config = Path.Combine(dir.Root, "papyra.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { redis = new { tls_ca = tls.Certificates.CaCertificatePath } }));
        CliResult byConfig = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--json", .. store]);
        File.Delete(config);
        CliResult byEnvironment = await PapyraProcess.RunAsync(dir.Root, new Dictionary<string, string> { ["PAPYRA_REDIS_TLS_CA"] = tls.Certificates.CaCertificatePath }, ["persistence", "scan", "--json", .. store]);

        foreach (CliResult result in new[] { byOption, byConfig, byEnvironment })
        {
            CliAssert.ExitCode(0, result);
            Assert.Equal(1, result.Json().GetProperty("records_scanned").GetInt64());
        }
    }

    [Fact]
    public async Task Without_the_ca_the_handshake_failure_is_an_io_error_that_says_what_to_do()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--backend", "redis", "--redis-url", Server.Url, "--key-prefix", RedisServer.UniquePrefix()]);

        CliAssert.ExitCode(74, result);
        CliAssert.NoStackTrace(result);
        Assert.Contains("TLS handshake", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("TlsCaCertificatePath", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_file_that_does_not_exist_is_a_usage_error_naming_it()
    {
        using var dir = new StoreDirectory();
        string missing = Path.Combine(dir.Root, "no-such-ca.pem");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, ["persistence", "scan", "--backend", "redis", "--redis-url", Server.Url, "--redis-tls-ca", missing]);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, missing);
    }
}
