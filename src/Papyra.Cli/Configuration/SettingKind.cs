namespace Papyra.Cli.Configuration;

/// <summary>What a setting's value must be, which decides how it is parsed and checked.</summary>
internal enum SettingKind
{
    /// <summary>Non-empty text.</summary>
    Text,

    /// <summary>A file name, made absolute against the source's directory (the config file's, else the working directory).</summary>
    FilePath,

    /// <summary>A retention count or byte limit: a whole number greater than 0 (<see cref="Persistence.RetentionPolicy.IsValidLimit"/>).</summary>
    RetentionLimit,

    /// <summary>A retention age in seconds: a number greater than 0 (<see cref="Persistence.RetentionPolicy.IsValidAge"/>).</summary>
    RetentionAge,

    /// <summary>A whole number greater than 0 (the rotating set's bounds).</summary>
    PositiveInteger,

    /// <summary>The longest line read as a record, in the range the file backends declare.</summary>
    LineBytes,

    /// <summary>The deepest JSON nesting read as a record, in the range the file backends declare.</summary>
    NestingDepth,
}
