using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;
using Papyra.Persistence;
using Papyra.Persistence.Metrics;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class MetricsCommandTests
{
    [Fact]
    public async Task Metrics_without_a_running_system_exits_0_with_zero_counters_and_live_false()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "metrics", "persistence", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("live").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("age_seconds").ValueKind);
        foreach (string name in PersistenceMetricNames.All)
        {
            Assert.Equal(0, json.GetProperty(name).GetInt64());
        }

        Assert.Equal(["events.ndjson"], dir.Files());
    }

    [Fact]
    public async Task Metrics_shows_the_snapshot_a_running_system_published_and_its_age()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        PersistenceMetricsFile.Publish(dir.Store, "json", new PersistenceMetricsSnapshot { RecordsWritten = 42, BytesWritten = 4200, WriteErrors = 1 });

        CliResult json = await PapyraProcess.RunAsync(dir.Root, "metrics", "persistence", "--path", dir.Store, "--json");
        CliResult table = await PapyraProcess.RunAsync(dir.Root, "metrics", "persistence", "--path", dir.Store);

        CliAssert.ExitCode(0, json);
        JsonElement metrics = json.Json();
        Assert.True(metrics.GetProperty("live").GetBoolean());
        Assert.True(metrics.GetProperty("age_seconds").GetDouble() >= 0);
        Assert.Equal(42, metrics.GetProperty("records_written").GetInt64());
        Assert.Equal(4200, metrics.GetProperty("bytes_written").GetInt64());
        Assert.Equal(1, metrics.GetProperty("write_errors").GetInt64());
        CliAssert.ExitCode(0, table);
        Assert.Contains("records_written", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Live snapshot", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_left_by_an_exited_process_shows_its_last_counters_but_is_not_live()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        PersistenceMetricsFile.Publish(dir.Store, "json", new PersistenceMetricsSnapshot { RecordsWritten = 9 });
        int exitedPid = await ExitedProcessIdAsync();
        string metricsPath = PersistenceMetricsFile.MetricsPathFor(dir.Store);
        string published = File.ReadAllText(metricsPath);
        File.WriteAllText(metricsPath, System.Text.RegularExpressions.Regex.Replace(published, "\"pid\":\\s*[0-9]+", $"\"pid\":{exitedPid}"));

        CliResult json = await PapyraProcess.RunAsync(dir.Root, "metrics", "persistence", "--path", dir.Store, "--json");
        CliResult table = await PapyraProcess.RunAsync(dir.Root, "metrics", "persistence", "--path", dir.Store);
        CliResult reset = await PapyraProcess.RunAsync(dir.Root, "metrics", "reset", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, json);
        JsonElement metrics = json.Json();
        Assert.False(metrics.GetProperty("live").GetBoolean());
        Assert.Equal(exitedPid, metrics.GetProperty("pid").GetInt32());
        Assert.Equal(9, metrics.GetProperty("records_written").GetInt64());
        Assert.Contains("no longer running", table.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(0, reset);
        Assert.False(reset.Json().GetProperty("reset_requested").GetBoolean());
        Assert.False(File.Exists(PersistenceMetricsFile.ResetRequestPathFor(dir.Store)));
    }

    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.Id;
    }

    [Fact]
    public async Task Metrics_reset_asks_the_running_system_to_start_from_zero()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        PersistenceMetricsFile.Publish(dir.Store, "json", new PersistenceMetricsSnapshot { RecordsWritten = 7 });

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "metrics", "reset", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.True(json.GetProperty("reset_requested").GetBoolean());
        Assert.True(File.Exists(PersistenceMetricsFile.ResetRequestPathFor(dir.Store)));
    }

    [Fact]
    public async Task Metrics_reset_without_a_running_system_exits_0_and_creates_nothing()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "metrics", "reset", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        Assert.False(result.Json().GetProperty("reset_requested").GetBoolean());
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Metrics_of_the_in_memory_backend_are_zero_and_not_live()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "metrics", "persistence", "--backend", "memory", "--json");

        CliAssert.ExitCode(0, result);
        Assert.False(result.Json().GetProperty("live").GetBoolean());
    }
}
