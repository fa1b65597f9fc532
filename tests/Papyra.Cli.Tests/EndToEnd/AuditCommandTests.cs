using System.Globalization;
using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary><c>papyra persistence audit</c>: a retention and compliance report that exits 2 on a violation (issue 16).</summary>
public sealed class AuditCommandTests
{
    [Fact]
    public async Task A_store_beyond_max_records_exits_2_and_counts_the_oldest_records_by_kind_and_system()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "audit", "--path", dir.Store, "--max-records", "2", "--json");

        CliAssert.ExitCode(2, result);
        JsonElement report = result.Json();
        Assert.False(report.GetProperty("compliant").GetBoolean());
        Assert.Equal(5, report.GetProperty("records").GetProperty("total").GetInt64());
        JsonElement rule = Assert.Single(report.GetProperty("rules").EnumerateArray());
        Assert.Equal("max_records", rule.GetProperty("rule").GetString());
        Assert.True(rule.GetProperty("violated").GetBoolean());
        JsonElement beyond = rule.GetProperty("beyond");
        Assert.Equal((3, 3, 0, 0), (beyond.GetProperty("total").GetInt32(), beyond.GetProperty("events").GetInt32(), beyond.GetProperty("audits").GetInt32(), beyond.GetProperty("dead_letters").GetInt32()));
        Assert.Equal(3, beyond.GetProperty("by_system").GetProperty("local").GetInt32());
        Assert.Equal(100, beyond.GetProperty("oldest_timestamp").GetDouble());
        Assert.Equal(300, beyond.GetProperty("newest_timestamp").GetDouble());
    }

    [Fact]
    public async Task Age_and_size_limits_are_audited_from_options_or_the_config_file_and_a_compliant_store_exits_0()
    {
        using var dir = new StoreDirectory();
        double now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Line(string system, double timestamp) => string.Create(CultureInfo.InvariantCulture, $"{{\"kind\":\"event\",\"system_id\":\"{system}\",\"actor_address\":{{\"system\":\"{system}\",\"actor_id\":1}},\"event_type\":\"ActorStarted\",\"payload\":{{}},\"timestamp\":{timestamp}}}");
        dir.WriteStore(Line("billing", now - 90_000), Line("orders", now - 90_000), Line("orders", now - 10), Line("orders", now));
        long lineBytes = new FileInfo(dir.Store).Length / 4;
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), $"{{\"path\":\"{dir.Store}\",\"retention\":{{\"max_age_seconds\":86400}}}}");

        CliResult aged = await PapyraProcess.RunAsync(dir.Root, "persistence", "audit", "--json");
        CliResult sized = await PapyraProcess.RunAsync(dir.Root, "persistence", "audit", "--path", dir.Store, "--max-total-bytes", (lineBytes * 3).ToString(CultureInfo.InvariantCulture), "--json");
        string elsewhere = Directory.CreateDirectory(dir.PathOf("elsewhere")).FullName; // no papyra.json there
        CliResult fine = await PapyraProcess.RunAsync(elsewhere, "persistence", "audit", "--path", dir.Store, "--max-records", "10");
        CliResult table = await PapyraProcess.RunAsync(dir.Root, "persistence", "audit");

        CliAssert.ExitCode(2, aged);
        JsonElement age = Assert.Single(aged.Json().GetProperty("rules").EnumerateArray());
        Assert.Equal("max_age_seconds", age.GetProperty("rule").GetString());
        Assert.Equal(2, age.GetProperty("beyond").GetProperty("total").GetInt32());
        Assert.Equal(1, age.GetProperty("beyond").GetProperty("by_system").GetProperty("billing").GetInt32());
        Assert.Equal(1, age.GetProperty("beyond").GetProperty("by_system").GetProperty("orders").GetInt32());
        CliAssert.ExitCode(2, sized);
        // papyra.json in the working directory adds its max_age_seconds rule to the --max-total-bytes one.
        JsonElement[] rules = [.. sized.Json().GetProperty("rules").EnumerateArray()];
        Assert.Equal(["max_age_seconds", "max_total_bytes"], rules.Select(r => r.GetProperty("rule").GetString()));
        Assert.Equal(1, rules[1].GetProperty("beyond").GetProperty("total").GetInt32());
        Assert.Equal(1, rules[1].GetProperty("beyond").GetProperty("by_system").GetProperty("billing").GetInt32());
        CliAssert.ExitCode(0, fine);
        Assert.Contains("complies with its retention policy", fine.StandardOutput, StringComparison.Ordinal);
        CliAssert.ExitCode(2, table);
        Assert.Contains("violates its retention policy", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_of_a_damaged_store_reports_the_skipped_lines_and_bad_limits_are_usage_errors()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "audit", "--path", dir.Store, "--max-records", "5", "--json");
        CliResult bad = await PapyraProcess.RunAsync(dir.Root, "persistence", "audit", "--path", dir.Store, "--max-records", "0");

        CliAssert.ExitCode(0, result);
        Assert.Equal(2, result.Json().GetProperty("records").GetProperty("total").GetInt32());
        Assert.Equal(2, result.Json().GetProperty("skipped").GetInt32());
        CliAssert.ExitCode(64, bad);
        CliAssert.OneSentenceError(bad, "Invalid --max-records value 0");
    }
}
