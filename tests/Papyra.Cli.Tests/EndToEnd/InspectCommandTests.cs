using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class InspectCommandTests
{
    [Fact]
    public async Task Inspect_events_prints_an_array_of_records_with_ndjson_field_names_oldest_first()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement[] events = [.. result.Json().EnumerateArray()];
        Assert.Equal([100.0, 200.0, 300.0], events.Select(e => e.GetProperty("timestamp").GetDouble()));
        Assert.All(events, e => Assert.Equal("event", e.GetProperty("kind").GetString()));
        Assert.Equal("ActorStopped", events[2].GetProperty("event_type").GetString());
        Assert.Equal(1, events[2].GetProperty("actor_address").GetProperty("actor_id").GetInt64());
        Assert.Equal("done", events[2].GetProperty("payload").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Inspect_events_reverse_lists_newest_first()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--reverse", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal([300.0, 200.0, 100.0], result.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
    }

    [Fact]
    public async Task Inspect_events_limit_keeps_the_most_recent()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--limit", "2", "--json");

        Assert.Equal([200.0, 300.0], result.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
    }

    [Fact]
    public async Task Inspect_events_since_is_inclusive()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--since", "200", "--json");

        Assert.Equal([200.0, 300.0], result.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
    }

    [Fact]
    public async Task Inspect_events_filters_by_exact_type_and_actor_address()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult byType = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--type", "ActorStarted", "--json");
        CliResult byActor = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--actor", "local:1", "--json");

        Assert.Equal([100.0, 200.0], byType.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
        Assert.Equal([100.0, 300.0], byActor.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
    }

    [Theory]
    [InlineData("events", "--event-type", "ActorStopped", new[] { 300.0 })]
    [InlineData("events", "--target", "local:2", new[] { 200.0 })]
    [InlineData("dead-letters", "--event-type", "Ping", new[] { 500.0 })]
    [InlineData("dead-letters", "--target", "local:2", new[] { 500.0 })]
    [InlineData("dead-letters", "--target", "local:1", new double[0])]
    public async Task Inspect_accepts_the_python_spellings_event_type_and_target_as_type_and_actor(string command, string option, string value, double[] expected)
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", command, "--path", dir.Store, option, value, "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal(expected, result.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
    }

    [Fact]
    public async Task Inspect_events_skips_damaged_lines_and_counts_them()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, "{broken", StoreDirectory.Event2);

        CliResult json = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--json");
        CliResult table = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store);

        CliAssert.ExitCode(0, json);
        Assert.Equal(2, json.Json().GetArrayLength());
        Assert.Contains("1 damaged line was skipped", json.StandardError, StringComparison.Ordinal);
        CliAssert.ExitCode(0, table);
        Assert.Contains("1 damaged line skipped", table.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "-1")]
    [InlineData("--limit", "many")]
    [InlineData("--since", "yesterday")]
    [InlineData("--actor", "local-1")]
    public async Task Inspect_events_rejects_a_bad_filter_with_64(string option, string value)
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, option, value);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, option);
    }

    [Fact]
    public async Task Inspect_audits_lists_audit_records()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "audits", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement audit = Assert.Single(result.Json().EnumerateArray());
        Assert.Equal("audit", audit.GetProperty("kind").GetString());
        Assert.Equal(2, audit.GetProperty("total_actors").GetInt32());
        Assert.Equal(1, audit.GetProperty("dead_letters_count").GetInt64());
    }

    [Fact]
    public async Task Inspect_dead_letters_lists_dead_letters_and_filters_by_target()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult all = await PapyraProcess.RunAsync(dir.Root, "inspect", "dead-letters", "--path", dir.Store, "--json");
        CliResult other = await PapyraProcess.RunAsync(dir.Root, "inspect", "dead-letters", "--path", dir.Store, "--actor", "local:1", "--json");

        CliAssert.ExitCode(0, all);
        JsonElement letter = Assert.Single(all.Json().EnumerateArray());
        Assert.Equal("dead_letter", letter.GetProperty("kind").GetString());
        Assert.Equal("Ping", letter.GetProperty("message_type").GetString());
        Assert.Equal("hello", letter.GetProperty("payload").GetString());
        Assert.Equal(0, other.Json().GetArrayLength());
    }

    [Fact]
    public async Task Inspect_summary_prints_the_counts_and_the_latest_audit()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal(3, json.GetProperty("events").GetInt64());
        Assert.Equal(1, json.GetProperty("audits").GetInt64());
        Assert.Equal(1, json.GetProperty("dead_letters").GetInt64());
        Assert.Equal(400.0, json.GetProperty("latest_audit").GetProperty("timestamp").GetDouble());
    }

    [Fact]
    public async Task Inspect_summary_applies_retention_options()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--path", dir.Store, "--max-records", "2", "--json");

        JsonElement json = result.Json();
        Assert.Equal(0, json.GetProperty("events").GetInt64());
        Assert.Equal(1, json.GetProperty("audits").GetInt64());
        Assert.Equal(1, json.GetProperty("dead_letters").GetInt64());
    }

    [Fact]
    public async Task Persistence_inspect_prints_counts_retention_and_capabilities()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "inspect", "--path", dir.Store, "--max-age-seconds", "1e12", "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal(3, json.GetProperty("events").GetInt64());
        Assert.Equal(1, json.GetProperty("audits").GetInt64());
        Assert.Equal(1, json.GetProperty("dead_letters").GetInt64());
        Assert.Equal(1e12, json.GetProperty("retention").GetProperty("max_age_seconds").GetDouble());
        Assert.True(json.GetProperty("capabilities").GetProperty("scan").GetBoolean());
    }

    [Fact]
    public async Task Inspect_of_a_missing_store_lists_nothing_and_creates_nothing()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        Assert.Contains("No records match", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Inspect_table_shows_records_whose_timestamp_is_outside_the_calendar()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore("""{"kind":"event","event_type":"Far","timestamp":1e300}""", """{"kind":"event","event_type":"Before","timestamp":-1e300}""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        Assert.Contains("Far", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Before", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_table_never_prints_control_characters_from_the_store()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore("""{"kind":"event","event_type":"Evil\u001b[2J\u0007","actor_address":"local:1","timestamp":1}""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        Assert.DoesNotContain('\u001b', result.StandardOutput);
        Assert.DoesNotContain('\u0007', result.StandardOutput);
        Assert.Contains("Evil\\u001b[2J\\u0007", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_longer_than_a_table_prints_one_line_per_record_with_control_characters_shown()
    {
        // 1,005 events: more than one table holds, so every record is a line as it is read.
        using var dir = new StoreDirectory();
        var lines = new List<string>();
        for (int i = 0; i < 1_005; i++)
        {
            string type = i == 700 ? "Evil\\u001b[31mRed" : "ActorStarted";
            lines.Add($"{{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{{\"system\":\"local\",\"actor_id\":{i + 1}}},\"event_type\":\"{type}\",\"payload\":{{\"seq\":{i},\"note\":\"é\"}},\"timestamp\":{1764000000 + i}.25}}");
        }

        lines.Add("{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":null,\"event_type\":\"NoActor\",\"payload\":[1.5,2],\"timestamp\":1764009999}");
        dir.WriteStore([.. lines]);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store);

        Assert.Equal(0, result.ExitCode);
        string[] printed = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2025-11-24 16:00:00.250  1764000000.250  ActorStarted  local:1  {\"seq\":0,\"note\":\"é\"}", printed[0]);
        Assert.Equal("2025-11-24 16:11:40.250  1764000700.250  Evil\\u001b[31mRed  local:701  {\"seq\":700,\"note\":\"é\"}", printed[700]);
        Assert.Equal("2025-11-24 18:46:39.000  1764009999.000  NoActor  -  [1.5,2]", printed[1_005]);
        Assert.DoesNotContain('\u001b', result.StandardOutput);
        Assert.Contains("1006 records.", result.StandardOutput, StringComparison.Ordinal);
    }
}
