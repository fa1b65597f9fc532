using Papyra.Persistence.Configuration;

namespace Papyra.Runtime.Tests.Persistence.Configuration;

public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("redis://user:hunter2@cache:6379/0", "redis://user:***@cache:6379/0")]
    [InlineData("rediss://:hunter2@cache", "rediss://:***@cache")]
    [InlineData("failed to connect to redis://ops:p@ss:w0rd@cache (timeout)", "failed to connect to redis://ops:***@cache (timeout)")]
    [InlineData("cache:6379,password=hunter2,ssl=true", "cache:6379,password=***,ssl=true")]
    [InlineData("Server=db;Pwd=hunter2;", "Server=db;Pwd=***;")]
    public void Passwords_are_masked(string text, string expected)
    {
        Assert.Equal(expected, SecretRedaction.Redact(text));
    }

    [Theory]
    [InlineData("redis://cache:6379/0")]
    [InlineData("/var/lib/papyra/events.ndjson")]
    [InlineData("local:1")]
    public void Text_without_secrets_is_unchanged(string text)
    {
        Assert.Equal(text, SecretRedaction.Redact(text));
    }
}
