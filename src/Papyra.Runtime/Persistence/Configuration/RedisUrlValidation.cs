namespace Papyra.Persistence.Configuration;

/// <summary>Validates Redis connection URLs without ever echoing their password.</summary>
internal static class RedisUrlValidation
{
    /// <summary>Checks that <paramref name="url"/> is a <c>redis://</c> or <c>rediss://</c> URL with a host.</summary>
    /// <param name="url">The URL to check.</param>
    /// <exception cref="PersistenceConfigurationException">The URL is malformed; the message shows it redacted.</exception>
    public static void Validate(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != "redis" && uri.Scheme != "rediss")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new PersistenceConfigurationException(
                $"Invalid Redis URL '{SecretRedaction.Redact(url)}': expected redis://[user:password@]host[:port][/db] or rediss://….");
        }
    }
}
