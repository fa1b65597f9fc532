using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary>
/// SPEC §5 "Line limits": the maximum line length and JSON nesting depth of a file store come from
/// <c>--max-line-bytes</c>/<c>--max-nesting-depth</c>, the config keys <c>max_line_bytes</c>/<c>max_nesting_depth</c>
/// or <c>PAPYRA_MAX_LINE_BYTES</c>/<c>PAPYRA_MAX_NESTING_DEPTH</c>, first wins in that order.
/// </summary>
public sealed class LineLimitTests
{
    // Declared first: the events below are serialised with it while the class initialises.
    private static readonly JsonSerializerOptions DeepWriting = new() { MaxDepth = 256 };

    // An event whose line is about 2,000 bytes: within the default limit, over a 1,024-byte one.
    private static readonly string LongEvent = Event(2, new Dictionary<string, object> { ["blob"] = new string('x', 2000) });

    // An event whose payload nests 100 objects deep: within the default 1,000 levels, over 64.
    private static readonly string DeepEvent = Event(2, Nested(100));

    public static TheoryData<string> Sources => ["option", "config", "environment"];

    [Fact]
    public async Task A_long_line_is_clean_by_default_and_a_corrupted_line_with_max_line_bytes_1024()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, LongEvent, StoreDirectory.Event3);

        CliResult byDefault = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--json");
        CliResult limited = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--max-line-bytes", "1024", "--json");

        CliAssert.ExitCode(0, byDefault);
        CliAssert.ExitCode(2, limited);
        JsonElement anomaly = Assert.Single(limited.Json().GetProperty("anomalies").EnumerateArray());
        Assert.Equal("CorruptedLine", anomaly.GetProperty("type").GetString());
        Assert.Equal(2, anomaly.GetProperty("line").GetInt64());
        Assert.Contains("1024-byte limit", anomaly.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_nested_100_deep_is_clean_by_default_and_too_deep_with_max_nesting_depth_64()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, DeepEvent, StoreDirectory.Event3);

        CliResult byDefault = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--json");
        CliResult limited = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--max-nesting-depth", "64", "--json");

        CliAssert.ExitCode(0, byDefault);
        CliAssert.ExitCode(2, limited);
        JsonElement anomaly = Assert.Single(limited.Json().GetProperty("anomalies").EnumerateArray());
        Assert.Equal("CorruptedLine", anomaly.GetProperty("type").GetString());
        Assert.Equal(2, anomaly.GetProperty("line").GetInt64());
        Assert.Contains("deeper than the 64-level limit", anomaly.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Max_line_bytes_is_read_from_each_source(string source)
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, LongEvent);

        CliResult result = await ScanWithLimitAsync(dir, source, "max_line_bytes", "1024");

        CliAssert.ExitCode(2, result);
        Assert.Equal(2, Assert.Single(result.Json().GetProperty("anomalies").EnumerateArray()).GetProperty("line").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Max_nesting_depth_is_read_from_each_source(string source)
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, DeepEvent);

        CliResult result = await ScanWithLimitAsync(dir, source, "max_nesting_depth", "64");

        CliAssert.ExitCode(2, result);
        Assert.Equal(2, Assert.Single(result.Json().GetProperty("anomalies").EnumerateArray()).GetProperty("line").GetInt64());
    }

    [Fact]
    public async Task The_line_limit_option_wins_over_the_config_file_which_wins_over_the_environment()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, LongEvent);
        var tight = new Dictionary<string, string> { ["PAPYRA_MAX_LINE_BYTES"] = "1024" };
        var roomy = new Dictionary<string, string> { ["PAPYRA_MAX_LINE_BYTES"] = "1048576" };

        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "max_line_bytes": 1024 }""");
        CliResult optionOverFile = await PapyraProcess.RunAsync(dir.Root, tight, "persistence", "scan", "--path", dir.Store, "--max-line-bytes", "1048576");
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "max_line_bytes": 1048576 }""");
        CliResult fileOverEnvironment = await PapyraProcess.RunAsync(dir.Root, tight, "persistence", "scan", "--path", dir.Store);
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "max_line_bytes": 1024 }""");
        CliResult fileOverRoomyEnvironment = await PapyraProcess.RunAsync(dir.Root, roomy, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(0, optionOverFile);
        CliAssert.ExitCode(0, fileOverEnvironment);
        CliAssert.ExitCode(2, fileOverRoomyEnvironment);
    }

    [Fact]
    public async Task Inspect_applies_the_line_limit_too_skipping_and_counting_the_long_record()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(StoreDirectory.Event1, LongEvent, StoreDirectory.Event3);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events", "--path", dir.Store, "--max-line-bytes", "1024", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal([100.0, 300.0], result.Json().EnumerateArray().Select(e => e.GetProperty("timestamp").GetDouble()));
        Assert.Contains("1 damaged line was skipped", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("option", "max_line_bytes", "1023", "Invalid --max-line-bytes value 1023: it must be from 1024 to 2147483647.")]
    [InlineData("option", "max_line_bytes", "2147483648", "Invalid --max-line-bytes value 2147483648:")]
    [InlineData("option", "max_line_bytes", "64MiB", "Invalid --max-line-bytes value '64MiB': expected a whole number.")]
    [InlineData("option", "max_nesting_depth", "63", "Invalid --max-nesting-depth value 63: it must be from 64 to 1000000.")]
    [InlineData("option", "max_nesting_depth", "1000001", "Invalid --max-nesting-depth value 1000001:")]
    [InlineData("environment", "max_line_bytes", "0", "Invalid PAPYRA_MAX_LINE_BYTES value 0:")]
    [InlineData("environment", "max_nesting_depth", "deep", "Invalid PAPYRA_MAX_NESTING_DEPTH value 'deep'")]
    [InlineData("config", "max_line_bytes", "-1", "Invalid 'max_line_bytes' in ")]
    [InlineData("config", "max_nesting_depth", "\"deep\"", "Invalid 'max_nesting_depth' in ")]
    public async Task A_bad_line_limit_exits_64_naming_the_value(string source, string key, string value, string expected)
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await ScanWithLimitAsync(dir, source, key, value);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, expected);
    }

    // Runs `persistence scan` on the store with one line limit given by one source: the option
    // (--max-line-bytes), the config key (max_line_bytes, the value as raw JSON) or the variable (PAPYRA_MAX_LINE_BYTES).
    private static async Task<CliResult> ScanWithLimitAsync(StoreDirectory dir, string source, string key, string value)
    {
        var environment = new Dictionary<string, string>();
        string[] args = ["persistence", "scan", "--path", dir.Store, "--json"];
        switch (source)
        {
            case "option":
                args = [.. args, "--" + key.Replace('_', '-'), value];
                break;
            case "config":
                await File.WriteAllTextAsync(dir.PathOf("papyra.json"), $$"""{ "{{key}}": {{value}} }""");
                break;
            default:
                environment["PAPYRA_" + key.ToUpperInvariant()] = value;
                break;
        }

        return await PapyraProcess.RunAsync(dir.Root, environment, args);
    }

    private static string Event(int actor, object payload) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["kind"] = "event",
        ["system_id"] = "local",
        ["actor_address"] = new Dictionary<string, object> { ["system"] = "local", ["actor_id"] = actor },
        ["event_type"] = "ActorStarted",
        ["payload"] = payload,
        ["timestamp"] = 200.0,
    }, DeepWriting);

    private static Dictionary<string, object> Nested(int depth)
    {
        var payload = new Dictionary<string, object>();
        for (int level = 1; level < depth; level++)
        {
            payload = new Dictionary<string, object> { ["a"] = payload };
        }

        return payload;
    }
}
