using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Papyra.TestSupport;

/// <summary>
/// Approved snapshots: compares text with a file under <c>api/</c>. On a mismatch it writes
/// <c>&lt;name&gt;.received.&lt;ext&gt;</c> beside the approved file and fails with a unified diff.
/// Approve deliberately with <c>PAPYRA_APPROVE=1 dotnet test</c> (or <c>./api/approve.sh</c>),
/// then review and commit the diff of <c>api/</c>.
/// </summary>
internal static class Approvals
{
    private const int ContextLines = 3;

    /// <summary>The repository root: the first directory above the test binaries holding Papyra.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The <c>api/</c> directory of the repository.</summary>
    public static string ApiDirectory => Path.Combine(RepositoryRoot, "api");

    public static bool ApproveMode => Environment.GetEnvironmentVariable("PAPYRA_APPROVE") is "1" or "true";

    /// <summary>Asserts that <paramref name="actual"/> equals the approved file <c>api/&lt;relativeName&gt;</c>.</summary>
    public static void Verify(string relativeName, string actual)
    {
        string approvedPath = Path.Combine(ApiDirectory, relativeName.Replace('/', Path.DirectorySeparatorChar));
        string receivedPath = ReceivedPathFor(approvedPath);
        string normalisedActual = Normalise(actual);
        string? approved = File.Exists(approvedPath) ? Normalise(File.ReadAllText(approvedPath, Encoding.UTF8)) : null;

        if (approved == normalisedActual)
        {
            File.Delete(receivedPath);
            return;
        }

        if (ApproveMode)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, normalisedActual, new UTF8Encoding(false));
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalisedActual, new UTF8Encoding(false));
        string header = approved is null
            ? $"No approved snapshot api/{relativeName} exists yet."
            : $"api/{relativeName} does not match the approved snapshot.";
        throw new Xunit.Sdk.XunitException(
            $"{header}{Environment.NewLine}" +
            $"Received text written to {Path.GetRelativePath(RepositoryRoot, receivedPath)}. " +
            $"If the change is deliberate, approve it with `PAPYRA_APPROVE=1 dotnet test` (or ./api/approve.sh) and commit the diff.{Environment.NewLine}" +
            UnifiedDiff(approved ?? string.Empty, normalisedActual, $"a/api/{relativeName}", $"b/api/{relativeName}"));
    }

    /// <summary>Builds a unified diff (3 lines of context) between two texts.</summary>
    public static string UnifiedDiff(string oldText, string newText, string oldName, string newName)
    {
        DiffPaneModel model = InlineDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false);
        List<DiffPiece> lines = model.Lines;
        var output = new StringBuilder();
        output.Append("--- ").AppendLine(oldName).Append("+++ ").AppendLine(newName);

        List<int> changes = [.. Enumerable.Range(0, lines.Count).Where(n => lines[n].Type is not ChangeType.Unchanged)];
        int g = 0;
        while (g < changes.Count)
        {
            // A hunk groups changes separated by at most twice the context.
            int first = changes[g];
            int last = first;
            while (g + 1 < changes.Count && changes[g + 1] - last <= ContextLines * 2)
            {
                last = changes[++g];
            }

            g++;
            int start = Math.Max(0, first - ContextLines);
            int end = Math.Min(lines.Count, last + ContextLines + 1);
            int oldStart = 1 + lines.Take(start).Count(l => l.Type is not ChangeType.Inserted);
            int newStart = 1 + lines.Take(start).Count(l => l.Type is not ChangeType.Deleted);
            List<DiffPiece> hunk = lines.GetRange(start, end - start);
            int oldCount = hunk.Count(l => l.Type is not ChangeType.Inserted);
            int newCount = hunk.Count(l => l.Type is not ChangeType.Deleted);
            output.Append("@@ -").Append(oldStart).Append(',').Append(oldCount)
                .Append(" +").Append(newStart).Append(',').Append(newCount).AppendLine(" @@");
            foreach (DiffPiece line in hunk)
            {
                char prefix = line.Type switch
                {
                    ChangeType.Inserted => '+',
                    ChangeType.Deleted => '-',
                    _ => ' ',
                };
                output.Append(prefix).AppendLine(line.Text);
            }
        }

        return output.ToString();
    }

    private static string ReceivedPathFor(string approvedPath)
    {
        string directory = Path.GetDirectoryName(approvedPath)!;
        string name = Path.GetFileName(approvedPath);
        int dot = name.LastIndexOf('.');
        string received = dot > 0 ? $"{name[..dot]}.received{name[dot..]}" : $"{name}.received";
        return Path.Combine(directory, received);
    }

    private static string Normalise(string text)
    {
        string unix = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return unix.EndsWith('\n') ? unix : unix + "\n";
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Papyra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Papyra.sln was not found above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
    }
}
