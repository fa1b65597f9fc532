using System.Text.Json;
using Papyra.TestSupport;

namespace Papyra.Cli.Tests;

/// <summary>
/// A scan report has one shape everywhere: the approved <c>papyra persistence scan --json</c> output
/// (<c>api/cli-json.txt</c>) and the <c>scan</c> of <c>/papyra/healthz</c> (<c>api/http-json.txt</c>) have
/// the same keys in the same order, down to each anomaly, so the two snapshots can only change together.
/// </summary>
public sealed class ReportShapeTests
{
    [Fact]
    public void The_scan_of_the_health_endpoint_has_the_shape_of_persistence_scan_json()
    {
        JsonElement cli = Section("cli-json.txt", "## papyra persistence scan --json");
        JsonElement http = Section("http-json.txt", "## GET /papyra/healthz (damaged store)").GetProperty("scan");

        Assert.Equal(Keys(cli), Keys(http));
        Assert.Equal(Keys(cli.GetProperty("anomalies")[0]), Keys(http.GetProperty("anomalies")[0]));
        Assert.Equal(["type", "line", "offset", "detail", "path"], Keys(http.GetProperty("anomalies")[0]));
    }

    [Fact]
    public void The_verification_of_a_recovery_has_the_shape_of_persistence_scan_json()
    {
        JsonElement scan = Section("cli-json.txt", "## papyra persistence scan --json");
        JsonElement recover = Section("cli-json.txt", "## papyra persistence recover --json");

        Assert.Equal(Keys(scan), Keys(recover.GetProperty("verification")));
    }

    [Fact]
    public void A_compaction_has_one_shape_in_the_cli_and_over_http()
    {
        JsonElement cli = Section("cli-json.txt", "## papyra persistence compact --max-records 2 --json");
        JsonElement http = Section("http-json.txt", "## POST /papyra/compact");

        Assert.Equal(Keys(cli), Keys(http));
        Assert.Equal(Keys(cli.GetProperty("retention")), Keys(http.GetProperty("retention")));
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    /// <summary>The JSON document under the heading that starts with <paramref name="heading"/> in an approved file.</summary>
    private static JsonElement Section(string file, string heading)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Approvals.ApiDirectory, file));
        int start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"{file} has no section '{heading}'.");
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        string json = string.Join('\n', lines[(start + 1)..(end < 0 ? lines.Length : end)]).Replace("<time>", "0", StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
