using System.Text.RegularExpressions;
using Papyra.Docs.Tests.Infrastructure;
using Papyra.TestSupport;

namespace Papyra.Docs.Tests;

/// <summary>Every section of the user's integration document (../shared/seeds/) is addressed by a page of the guide.</summary>
public sealed partial class SeedCoverageTests
{
    [Fact]
    public void Every_seed_section_is_mapped_to_a_guide_page_that_exists_and_names_it()
    {
        string seed = SeedDocument();
        string[] headings = [.. File.ReadAllLines(seed).Where(l => l.TrimEnd().EndsWith('¶')).Select(l => l.TrimEnd().TrimEnd('¶').Trim())];
        Assert.True(headings.Length >= 14, $"Expected the seed's sections, found {headings.Length} in {seed}.");

        string index = File.ReadAllText(Path.Combine(GuideDocument.Directory, "README.md"));
        var rows = CoverageRow().Matches(index).ToDictionary(m => m.Groups["heading"].Value.Trim(), m => m.Groups["page"].Value, StringComparer.Ordinal);
        Assert.All(headings, heading =>
        {
            Assert.True(rows.TryGetValue(heading, out string? page), $"docs/guide/README.md has no coverage row for the seed section '{heading}'.");
            string file = Path.Combine(GuideDocument.Directory, page!.Split('#')[0]);
            Assert.True(File.Exists(file), $"'{heading}' points at {page}, which does not exist.");
        });
    }

    [Fact]
    public void Every_guide_page_is_linked_from_the_index()
    {
        string index = File.ReadAllText(Path.Combine(GuideDocument.Directory, "README.md"));

        Assert.All(GuideDocument.Pages.Where(p => Path.GetFileName(p) != "README.md"), page =>
            Assert.Contains("(" + Path.GetFileName(page), index, StringComparison.Ordinal));
    }

    private static string SeedDocument()
    {
        // The seed lives beside the repository in the workspace (../shared/seeds/); a copy is kept in docs/guide/ for clones without it.
        string beside = Path.GetFullPath(Path.Combine(Approvals.RepositoryRoot, "..", "shared", "seeds", "external-tools-and-integrations.md"));
        return File.Exists(beside) ? beside : Path.Combine(GuideDocument.Directory, "seed", "external-tools-and-integrations.md");
    }

    [GeneratedRegex(@"^\|\s*(?<heading>[^|]+?)\s*\|\s*\[[^\]]+\]\((?<page>[^)\s]+)\)", RegexOptions.Multiline)]
    private static partial Regex CoverageRow();
}
