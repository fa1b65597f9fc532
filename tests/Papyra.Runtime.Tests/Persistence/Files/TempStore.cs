using System.Text;

namespace Papyra.Runtime.Tests.Persistence.Files;

/// <summary>A temporary directory holding a store file, deleted after the test.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore(string fileName = "store.ndjson")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("papyra-test-").FullName;
        Path = System.IO.Path.Combine(Directory, fileName);
    }

    public string Directory { get; }

    public string Path { get; }

    public void Write(string text) => File.WriteAllBytes(Path, Encoding.UTF8.GetBytes(text));

    public void Write(byte[] bytes) => File.WriteAllBytes(Path, bytes);

    public string Read() => Encoding.UTF8.GetString(File.ReadAllBytes(Path));

    public string[] FilesBeside() => [.. System.IO.Directory.EnumerateFileSystemEntries(Directory).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
