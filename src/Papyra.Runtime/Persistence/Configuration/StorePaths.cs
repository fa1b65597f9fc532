namespace Papyra.Persistence.Configuration;

/// <summary>Checks a store path before a file backend opens it, so the failure names the path.</summary>
internal static class StorePaths
{
    /// <summary>
    /// Fails when <paramref name="path"/> cannot be a store file: it names a directory, or one of
    /// its parents is a file. A path that does not exist yet is fine (an empty store).
    /// </summary>
    /// <param name="path">The store file path.</param>
    /// <exception cref="IOException">The path is a directory or lies under a file.</exception>
    public static void EnsureUsableFileLocation(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"The store path '{full}' is a directory; give the path of a store file.");
        }

        for (string? parent = Path.GetDirectoryName(full); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                throw new IOException($"The store path '{full}' cannot exist because '{parent}' is a file, not a directory.");
            }

            if (Directory.Exists(parent))
            {
                break;
            }
        }
    }
}
