using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class CompactCommandTests
{
    [Fact]
    public async Task Compact_applies_max_records_and_reports_before_and_after()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        long bytesBefore = new FileInfo(dir.Store).Length;

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store, "--max-records", "2", "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal(5, json.GetProperty("before_records").GetInt64());
        Assert.Equal(2, json.GetProperty("after_records").GetInt64());
        Assert.Equal(bytesBefore, json.GetProperty("before_bytes").GetInt64());
        Assert.Equal(new FileInfo(dir.Store).Length, json.GetProperty("after_bytes").GetInt64());
        Assert.Equal($"{StoreDirectory.Audit1}\n{StoreDirectory.DeadLetter1}\n", await File.ReadAllTextAsync(dir.Store));
        Assert.DoesNotContain(dir.Files(), f => f.Contains(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compact_of_a_damaged_store_reports_the_lines_it_moved_to_the_rejected_sidecar()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        string sidecar = Assert.Single(json.GetProperty("rejected_files").EnumerateArray()).GetString()!;
        Assert.Matches(@"events\.ndjson\.rejected\.[0-9]+$", sidecar);
        string[] rejected = (await File.ReadAllTextAsync(sidecar)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rejected.Length, json.GetProperty("rejected_lines").GetInt64());
        Assert.Contains("not json at all", rejected);
        Assert.Equal(2, json.GetProperty("after_records").GetInt64());
    }

    [Fact]
    public async Task Compact_of_a_damaged_store_says_in_its_report_where_the_damaged_lines_went()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        string sidecar = Assert.Single(dir.Files(), f => f.Contains(".rejected.", StringComparison.Ordinal));
        Assert.Contains("Moved 2 damaged lines out of the store into 1 sidecar file", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(sidecar, result.StandardOutput.Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_of_a_healthy_store_reports_no_rejected_lines()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult json = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store, "--json");
        CliResult table = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store);

        Assert.Equal(0, json.Json().GetProperty("rejected_lines").GetInt64());
        Assert.Equal(0, json.Json().GetProperty("rejected_files").GetArrayLength());
        Assert.DoesNotContain("damaged", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_takes_retention_from_the_config_file()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "path": "events.ndjson", "retention": { "max_records": 1 } }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal(1, result.Json().GetProperty("after_records").GetInt64());
    }

    [Theory]
    [InlineData("--max-records", "0")]
    [InlineData("--max-records", "-5")]
    [InlineData("--max-age-seconds", "0")]
    [InlineData("--max-total-bytes", "-1")]
    public async Task Compact_rejects_a_zero_or_negative_retention_option_with_64(string option, string value)
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        byte[] before = await File.ReadAllBytesAsync(dir.Store);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store, option, value);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, $"Invalid {option} value {value}");
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Store));
    }

    [Fact]
    public async Task Compact_rejects_a_zero_retention_key_in_the_config_file_with_64()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "retention": { "max_total_bytes": 0 } }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "'retention.max_total_bytes'");
    }

    [Fact]
    public async Task Compact_rejects_a_negative_retention_environment_variable_with_64()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(
            dir.Root,
            new Dictionary<string, string> { ["PAPYRA_RETENTION_MAX_AGE_SECONDS"] = "-3" },
            "persistence", "compact", "--path", dir.Store);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "PAPYRA_RETENTION_MAX_AGE_SECONDS value -3");
    }

    [Fact]
    public async Task Compact_shows_a_before_and_after_table()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store, "--max-records", "3");

        CliAssert.ExitCode(0, result);
        Assert.Contains("Before", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("After", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_warns_on_stderr_when_a_running_system_published_metrics_moments_ago()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        PersistenceMetricsFile.Publish(dir.Store, "json", PersistenceMetricsSnapshot.Zero);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "compact", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        Assert.Contains("papyra: warning: a running system (pid", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(5, result.Json().GetProperty("after_records").GetInt64());
    }
}
