using System.Text.RegularExpressions;

namespace Papyra.Persistence.Configuration;

/// <summary>
/// Removes secrets from text shown to operators: the password of a URL with user information
/// (<c>redis://user:secret@host</c> becomes <c>redis://user:***@host</c>) and <c>password=</c>
/// entries of connection strings. Every message that can echo a connection string passes through it.
/// </summary>
[PapyraInternal]
public static partial class SecretRedaction
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Returns <paramref name="text"/> with every URL password and <c>password=</c> value masked.</summary>
    /// <param name="text">Text that may hold a connection string; <see langword="null"/> stays <see langword="null"/>.</param>
    /// <returns>The redacted text.</returns>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        string withoutUrlPasswords = UrlUserInfo().Replace(text, m => m.Groups["user"].Length == 0 && m.Groups["password"].Length == 0
            ? m.Value
            : $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Mask}@");
        return PasswordSetting().Replace(withoutUrlPasswords, m => $"{m.Groups["key"].Value}{Mask}");
    }

    // scheme://user:password@ — up to the last '@' before whitespace, so a password holding an unescaped '@' is masked whole;
    // a password-only URL (redis://:secret@host) is covered by an empty user group.
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^:/@\s]*):(?<password>\S*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();

    [GeneratedRegex(@"(?<key>\b(?:password|pwd)\s*=\s*)[^,;\s]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();
}
