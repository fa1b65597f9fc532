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
            throw new ArgumentException("Invalid Redis URL: it is empty; expected redis://[[user]:password@]host[:port][,host2[:port2]…][/db] or rediss://… for TLS.", nameof(url));
        }

        // Several endpoints (a Redis Cluster): redis://[credentials@]host1[:port1],host2[:port2],…[/db].
        // The first one is parsed with the URL; the others become AdditionalEndpoints.
        string trimmed = url.Trim();
        var additional = new List<string>();
        int schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            int authorityStart = schemeEnd + 3;
            int authorityEnd = trimmed.IndexOfAny(['/', '?', '#'], authorityStart);
            if (authorityEnd < 0)
            {
                authorityEnd = trimmed.Length;
            }

            int hostsStart = trimmed.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) + 1;
            hostsStart = Math.Max(hostsStart, authorityStart);
            string hosts = trimmed[hostsStart..authorityEnd];
            if (hosts.Contains(',', StringComparison.Ordinal))
            {
                string[] parts = hosts.Split(',');
                foreach (string part in parts.Skip(1))
                {
                    additional.Add(ParseEndpoint(part, shown));
                }

                trimmed = string.Concat(trimmed.AsSpan(0, hostsStart), parts[0], trimmed.AsSpan(authorityEnd));
            }
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri))
        {
            throw Invalid(shown, "it is not a URL; expected redis://[[user]:password@]host[:port][,host2[:port2]…][/db] or rediss://… for TLS");
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
            AdditionalEndpoints = additional,
        };
    }

    /// <summary>Checks a <c>host[:port]</c> endpoint (port 6379 when absent) and returns it as <c>host:port</c>.</summary>
    public static string ParseEndpoint(string endpoint, string shown)
    {
        if (string.IsNullOrWhiteSpace(endpoint)
            || !Uri.TryCreate("redis://" + endpoint.Trim(), UriKind.Absolute, out Uri? uri)
            || string.IsNullOrEmpty(uri.IdnHost)
            || uri.UserInfo.Length > 0
            || uri.AbsolutePath.Trim('/').Length > 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            throw Invalid(shown, $"the endpoint '{endpoint}' is not host[:port]");
        }

        int port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        string host = uri.IdnHost.Contains(':', StringComparison.Ordinal) ? $"[{uri.IdnHost}]" : uri.IdnHost;
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
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

    public static string Format(string host, int port, int database, bool tls, string? user, bool hasPassword, IReadOnlyList<string>? additionalEndpoints = null)
    {
        string credentials = hasPassword ? $"{user}:***@" : user is null ? string.Empty : $"{user}@";
        string shownHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        string others = additionalEndpoints is { Count: > 0 } ? "," + string.Join(',', additionalEndpoints) : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{(tls ? "rediss" : "redis")}://{credentials}{shownHost}:{port}{others}/{database}");
    }

    private static ArgumentException Invalid(string shown, string problem)
        => new($"Invalid Redis URL '{shown}': {problem}.", "url");
}
