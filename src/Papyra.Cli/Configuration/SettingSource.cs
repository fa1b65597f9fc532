using Microsoft.Extensions.Configuration;

namespace Papyra.Cli.Configuration;

/// <summary>
/// One source of store settings, a <c>Microsoft.Extensions.Configuration</c> provider, with what an error needs
/// to name the value it found there: the option, the key and file, or the variable.
/// </summary>
internal abstract class SettingSource
{
    protected SettingSource(IConfigurationProvider provider, string origin, string directory)
    {
        Provider = provider;
        Origin = origin;
        Directory = directory;
    }

    /// <summary>The provider that holds this source's values, keyed by <see cref="SettingKey.Path"/>.</summary>
    public IConfigurationProvider Provider { get; }

    /// <summary>How errors name the source as a whole (<c>command-line options</c>, <c>config file '…'</c>, <c>environment</c>).</summary>
    public string Origin { get; }

    /// <summary>What a relative file name in this source is relative to.</summary>
    public string Directory { get; }

    /// <summary>How errors name <paramref name="key"/> in this source.</summary>
    public abstract string Describe(SettingKey key);

    /// <summary>The value this source gives <paramref name="key"/>, or <see langword="null"/> when it says nothing.</summary>
    public virtual string? Get(SettingKey key)
        => Provider.TryGet(key.Path, out string? value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The command-line options, parsed by the command, as configuration.</summary>
    public sealed class Options(IConfigurationProvider provider, string directory) : SettingSource(provider, "command-line options", directory)
    {
        public override string Describe(SettingKey key) => key.Option ?? key.Name;
    }

    /// <summary>The <c>PAPYRA_*</c> environment variables.</summary>
    public sealed class Environment(IConfigurationProvider provider, string directory) : SettingSource(provider, "environment", directory)
    {
        public override string Describe(SettingKey key) => key.EnvironmentVariable;
    }

    /// <summary>The config file; a relative file name in it is relative to its directory.</summary>
    public sealed class File(IConfigurationProvider provider, string file)
        : SettingSource(provider, $"config file '{file}'", System.IO.Path.GetDirectoryName(file) ?? System.IO.Directory.GetCurrentDirectory())
    {
        public string FileName { get; } = file;

        public override string Describe(SettingKey key) => $"'{key.Name}' in '{FileName}'";

        // A blank value in a file is a mistake (a template left unfilled), never "not set": null says that.
        public override string? Get(SettingKey key)
            => Provider.TryGet(key.Path, out string? value) && value is not null
                ? (value.Trim().Length > 0 ? value : throw new Errors.CliUsageException($"The key '{key.Name}' in '{FileName}' is an empty string; give a value, or null to leave it unset."))
                : null;
    }
}
