using System.Globalization;

namespace Papyra.Cli.Configuration;

/// <summary>
/// One setting of a store, under all its names: the config file key (<c>retention.max_records</c>, a key of
/// the <c>retention</c> object), the configuration path (<c>retention:max_records</c>), the environment variable
/// (<c>PAPYRA_RETENTION_MAX_RECORDS</c>) and the command-line option, when there is one (<c>--max-records</c>).
/// The names other than the key are derived from it, so they cannot drift apart.
/// </summary>
/// <param name="Name">The config file key, sections joined by dots.</param>
/// <param name="Kind">What the value must be.</param>
/// <param name="Option">The command-line option that sets it, if any.</param>
internal sealed record SettingKey(string Name, SettingKind Kind, string? Option)
{
    /// <summary>The key in <c>Microsoft.Extensions.Configuration</c> (sections joined by colons).</summary>
    public string Path { get; } = Name.Replace('.', ':');

    /// <summary>The environment variable: <c>PAPYRA_</c> and the key in upper case, dots as underscores.</summary>
    public string EnvironmentVariable { get; } = "PAPYRA_" + Name.Replace('.', '_').ToUpper(CultureInfo.InvariantCulture);
}
