using System.Diagnostics;
using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence.Redis;
using Papyra.Persistence.Redis.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary><c>papyra dashboard --backend redis</c> against a real redis-server.</summary>
[Collection(CliRedisCollection.Name)]
public sealed class RedisDashboardCommandTests(CliRedisFixture redis)
{
    [Fact]
    public async Task Dashboard_serves_a_redis_store_without_printing_its_password()
    {
        using var dir = new StoreDirectory();
        string prefix = RedisServer.UniquePrefix();
        await using (RedisStreamsPersistenceBackend writer = await redis.WriterAsync(prefix))
        {
            await writer.RecordEventAsync(CliRedisFixture.Event(100, type: "ActorRestarted"));
            await writer.RecordDeadLetterAsync(CliRedisFixture.DeadLetter(200));
            await writer.RecordAuditAsync(CliRedisFixture.Audit(300));
        }

        using Process papyra = PapyraProcess.Start(dir.Root, ["dashboard", .. redis.StoreArgs(prefix), "--port", "0", "--json"]);
        try
        {
            Uri url = await DashboardCommandTests.ReadUrlAsync(papyra);
            using HttpClient client = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
            string text = await client.GetStringAsync(new Uri("data", UriKind.Relative));
            using JsonDocument data = JsonDocument.Parse(text);
            JsonElement root = data.RootElement;

            Assert.Equal("store", root.GetProperty("source").GetString());
            Assert.Equal("redis", root.GetProperty("persistence").GetProperty("backend").GetString());
            Assert.Equal($"{prefix}:local:records", root.GetProperty("persistence").GetProperty("path").GetString());
            Assert.Equal(1, root.GetProperty("runtime").GetProperty("restarts").GetInt64());
            Assert.Equal(1, root.GetProperty("runtime").GetProperty("dead_letters").GetInt64());
            Assert.Equal("Healthy", root.GetProperty("persistence").GetProperty("status").GetString());
            Assert.DoesNotContain(CliRedisFixture.Password, text, StringComparison.Ordinal);
        }
        finally
        {
            papyra.Kill(entireProcessTree: true);
            await papyra.WaitForExitAsync();
        }

        Assert.Empty(dir.Files());
    }
}
