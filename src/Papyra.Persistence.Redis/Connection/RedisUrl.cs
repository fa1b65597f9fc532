using System.Globalization;

namespace Papyra.Persistence.Redis.Connection;

/// <summary>Parses and redacts <c>redis://</c> and <c>rediss://</c> URLs.</summary>
internal static class RedisUrl
{
    public const int DefaultPort = 6379;

    public static RedisStreamsOptions Parse(string url, RedisStreamsOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(url);
        string shown = Redact(url);
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException("Invalid Redis URL: it is empty; expected redis://[[user]:password@]host[:port][/db] or rediss://… for TLS.", nameof(url));
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri))
        {
            throw Invalid(shown, "it is not a URL; expected redis://[[user]:password@]host[:port][/db] or rediss://… for TLS");
        }

        bool tls = uri.Scheme switch
        {
            "redis" => false,
            "rediss" => true,
            _ => throw Invalid(shown, $"the scheme '{uri.Scheme}' is not redis or rediss"),
        };

        string host = uri.IdnHost;
        if (string.IsNullOrEmpty(host))
        {
            throw Invalid(shown, "it names no host");
        }

        int port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        if (port is < 1 or > 65535)
        {
            throw Invalid(shown, $"the port {port.ToString(CultureInfo.InvariantCulture)} is outside 1-65535");
        }

        int database = 0;
        string path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database < 0))
        {
            throw Invalid(shown, $"the database '{path}' is not a non-negative number");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Invalid(shown, "query strings and fragments are not supported; use the options for timeouts");
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            string rawUser = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            string? rawPassword = colon < 0 ? null : uri.UserInfo[(colon + 1)..];
            user = rawUser.Length == 0 ? null : Uri.UnescapeDataString(rawUser);

            // redis://secret@host is how redis-cli and redis-py read a lone user-info part: a password.
            if (rawPassword is null)
            {
                password = user;
                user = null;
            }
            else
            {
                password = Uri.UnescapeDataString(rawPassword);
            }
        }

        return defaults with
        {
            Host = host,
            Port = port,
            Database = database,
            UseTls = tls,
            User = user,
            Password = password,
        };
    }

    /// <summary>Replaces the password of a Redis URL (or anything that looks like one) with <c>***</c>.</summary>
    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return string.Empty;
        }

        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.LastIndexOf('@');
        if (at < start)
        {
            return url;
        }

        string userInfo = url[start..at];
        int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        string user = colon < 0 ? string.Empty : userInfo[..colon];
        return string.Concat(url.AsSpan(0, start), user, ":***", url.AsSpan(at));
    }

    public static string Format(string host, int port, int database, bool tls, string? user, bool hasPassword)
    {
        string credentials = hasPassword ? $"{user}:***@" : user is null ? string.Empty : $"{user}@";
        string shownHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return string.Create(CultureInfo.InvariantCulture, $"{(tls ? "rediss" : "redis")}://{credentials}{shownHost}:{port}/{database}");
    }

    private static ArgumentException Invalid(string shown, string problem)
        => new($"Invalid Redis URL '{shown}': {problem}.", "url");
}
