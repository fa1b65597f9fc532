namespace Papyra.Persistence.Configuration;

/// <summary>What the built-in file providers share: the required path and how option errors read.</summary>
internal static class FileBackendProviderSupport
{
    public static string RequirePath(PersistenceBackendSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            throw new PersistenceConfigurationException(
                $"The {settings.Backend} backend needs a store path; give one with --path, the config key 'path' or PAPYRA_PATH.");
        }

        string path = System.IO.Path.GetFullPath(settings.Path);
        StorePaths.EnsureUsableFileLocation(path);
        return path;
    }

    public static PersistenceStoreLocation Locate(PersistenceBackendSettings settings)
        => new(settings.Path is null ? "(no path)" : System.IO.Path.GetFullPath(settings.Path));

    /// <summary>Opens a backend whose constructor validates its options with <see cref="ArgumentException"/>s, reported as configuration errors.</summary>
    public static ValueTask<IPersistenceBackend> Open(Func<IPersistenceBackend> open)
    {
        try
        {
            return ValueTask.FromResult(open());
        }
        catch (ArgumentException exception)
        {
            throw new PersistenceConfigurationException(exception.Message.Split(" (Parameter", 2)[0], exception);
        }
    }
}
