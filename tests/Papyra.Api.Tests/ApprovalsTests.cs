using Papyra.TestSupport;

namespace Papyra.Api.Tests;

public sealed class ApprovalsTests
{
    [Fact]
    public void Unified_diff_shows_changed_lines_with_three_lines_of_context()
    {
        string before = string.Join('\n', Enumerable.Range(1, 12).Select(i => $"line {i}")) + "\n";
        string after = before.Replace("line 6\n", "line six\n", StringComparison.Ordinal);

        string diff = Approvals.UnifiedDiff(before, after, "a/x.txt", "b/x.txt");

        Assert.Equal(
            """
            --- a/x.txt
            +++ b/x.txt
            @@ -3,7 +3,7 @@
             line 3
             line 4
             line 5
            -line 6
            +line six
             line 7
             line 8
             line 9

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            diff.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Distant_changes_make_separate_hunks()
    {
        string before = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"l{i}")) + "\n";
        string after = before.Replace("l2\n", "L2\n", StringComparison.Ordinal).Replace("l28\n", "L28\n", StringComparison.Ordinal);

        string diff = Approvals.UnifiedDiff(before, after, "a", "b");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("+L28", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_texts_have_no_hunks()
    {
        Assert.DoesNotContain("@@", Approvals.UnifiedDiff("same\n", "same\n", "a", "b"), StringComparison.Ordinal);
    }
}
