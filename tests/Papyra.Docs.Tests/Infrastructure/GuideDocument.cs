using System.Text.RegularExpressions;
using Papyra.TestSupport;

namespace Papyra.Docs.Tests.Infrastructure;

/// <summary>A fenced code block of a guide page: its language, text, where it starts, and the <c>guide:</c> snippet it embeds, if any.</summary>
internal sealed record CodeBlock(string Page, int Line, string Language, string Text, string? Snippet)
{
    public override string ToString() => $"{Page}:{Line} ({Language}{(Snippet is null ? string.Empty : ", snippet " + Snippet)})";
}

/// <summary>The pages of docs/guide/ and their code blocks.</summary>
internal static partial class GuideDocument
{
    public static string Directory => Path.Combine(Approvals.RepositoryRoot, "docs", "guide");

    public static IReadOnlyList<string> Pages { get; } = [.. System.IO.Directory.GetFiles(Directory, "*.md").Order(StringComparer.Ordinal)];

    public static IReadOnlyList<CodeBlock> Blocks { get; } = [.. Pages.SelectMany(Read)];

    public static IEnumerable<CodeBlock> OfLanguage(params string[] languages) => Blocks.Where(b => languages.Contains(b.Language, StringComparer.Ordinal));

    /// <summary>The blocks of the given languages as xUnit theory data, named by page and line.</summary>
    public static TheoryData<string> Named(params string[] languages)
    {
        var data = new TheoryData<string>();
        foreach (CodeBlock block in OfLanguage(languages))
        {
            data.Add($"{Path.GetFileName(block.Page)}:{block.Line}");
        }

        return data;
    }

    public static CodeBlock Find(string name)
        => Blocks.Single(b => $"{Path.GetFileName(b.Page)}:{b.Line}" == name);

    private static IEnumerable<CodeBlock> Read(string page)
    {
        string[] lines = File.ReadAllLines(page);
        string? snippet = null;
        for (int i = 0; i < lines.Length; i++)
        {
            Match marker = SnippetMarker().Match(lines[i]);
            if (marker.Success)
            {
                snippet = marker.Groups["name"].Value;
                continue;
            }

            Match fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                if (lines[i].Trim().Length > 0)
                {
                    snippet = null;
                }

                continue;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new InvalidOperationException($"{page}:{start}: a code block is never closed.");
            }

            int indent = fence.Groups["indent"].Value.Length;
            string text = string.Join("\n", lines[start..end].Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l.TrimStart()));
            yield return new CodeBlock(page, start, fence.Groups["lang"].Value, text, snippet);
            snippet = null;
            i = end;
        }
    }

    [GeneratedRegex(@"^\s*<!--\s*guide:\s*(?<name>[a-z0-9-]+)\s*-->\s*$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^(?<indent> *)```(?<lang>[a-z]*)\s*$")]
    private static partial Regex Fence();
}

/// <summary>The <c>// guide:begin name</c> … <c>// guide:end</c> regions of samples/Guide, dedented.</summary>
internal static partial class GuideSamples
{
    public static IReadOnlyDictionary<string, string> Regions { get; } = Read();

    private static Dictionary<string, string> Read()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in System.IO.Directory.GetFiles(Path.Combine(Approvals.RepositoryRoot, "samples", "Guide"), "*.cs"))
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                Match begin = Begin().Match(lines[i]);
                if (!begin.Success)
                {
                    continue;
                }

                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "// guide:end");
                string[] body = lines[(i + 1)..end];
                int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
                regions.Add(begin.Groups["name"].Value, string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())));
                i = end;
            }
        }

        return regions;
    }

    [GeneratedRegex(@"^\s*// guide:begin (?<name>[a-z0-9-]+)\s*$")]
    private static partial Regex Begin();
}
