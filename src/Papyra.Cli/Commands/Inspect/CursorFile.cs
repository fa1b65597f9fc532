using Papyra.Cli.Errors;
using Papyra.Persistence;

namespace Papyra.Cli.Commands.Inspect;

/// <summary>
/// A file holding one store position (<see cref="PersistencePosition.ToString"/>): read at start,
/// replaced atomically (temp file + rename) after each record written, so a reader killed at any
/// point resumes after the last record it wrote out, or prints that one record again — never skips one.
/// </summary>
internal sealed class CursorFile
{
    private readonly string _path;
    private readonly string _temp;

    private CursorFile(string path, PersistencePosition? position)
    {
        _path = path;
        _temp = path + ".tmp";
        Position = position;
    }

    /// <summary>The stored position; <see langword="null"/> when the file is missing or empty (start from the oldest record).</summary>
    public PersistencePosition? Position { get; }

    public static CursorFile Open(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliUsageException("The --cursor-file value is empty; give a file name.");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new CliUsageException($"The --cursor-file '{full}' is a directory; give a file name.");
        }

        string text = File.Exists(full) ? File.ReadAllText(full).Trim() : string.Empty;
        if (text.Length == 0)
        {
            return new CursorFile(full, null);
        }

        return PersistencePosition.TryParse(text, out PersistencePosition? position)
            ? new CursorFile(full, position)
            : throw new CliUsageException($"The cursor file '{full}' does not hold a store position ('{(text.Length > 80 ? text[..80] + "…" : text)}'); delete it to start from the oldest record.");
    }

    public void Save(PersistencePosition position)
    {
        File.WriteAllText(_temp, position.ToString() + "\n");
        File.Move(_temp, _path, overwrite: true);
    }
}
