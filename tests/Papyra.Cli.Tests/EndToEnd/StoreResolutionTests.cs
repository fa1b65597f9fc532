using Papyra.Cli.Configuration;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class StoreResolutionTests
{
    [Fact]
    public async Task The_store_path_comes_from_papyra_json_in_the_current_directory_relative_to_that_file()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "backend": "json", "path": "events.ndjson" }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal(dir.Store, result.Json().GetProperty("path").GetString());
        Assert.Equal(3, result.Json().GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task The_store_path_comes_from_PAPYRA_PATH_when_nothing_else_names_it()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, new Dictionary<string, string> { ["PAPYRA_PATH"] = dir.Store }, "persistence", "scan", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal(dir.Store, result.Json().GetProperty("path").GetString());
    }

    [Fact]
    public async Task The_path_option_wins_over_the_config_file_which_wins_over_the_environment()
    {
        using var dir = new StoreDirectory();
        string fromOption = dir.WriteLines(dir.PathOf("option.ndjson"), StoreDirectory.Event1);
        string fromFile = dir.WriteLines(dir.PathOf("file.ndjson"), StoreDirectory.Event1);
        string fromEnvironment = dir.WriteLines(dir.PathOf("env.ndjson"), StoreDirectory.Event1);
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "path": "file.ndjson" }""");
        var environment = new Dictionary<string, string> { ["PAPYRA_PATH"] = fromEnvironment };

        CliResult option = await PapyraProcess.RunAsync(dir.Root, environment, "persistence", "scan", "--path", fromOption, "--json");
        CliResult file = await PapyraProcess.RunAsync(dir.Root, environment, "persistence", "scan", "--json");
        File.Delete(dir.PathOf("papyra.json"));
        CliResult env = await PapyraProcess.RunAsync(dir.Root, environment, "persistence", "scan", "--json");

        Assert.Equal(fromOption, option.Json().GetProperty("path").GetString());
        Assert.Equal(fromFile, file.Json().GetProperty("path").GetString());
        Assert.Equal(fromEnvironment, env.Json().GetProperty("path").GetString());
    }

    [Fact]
    public async Task The_backend_option_wins_over_the_environment_and_is_case_insensitive()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(
            dir.Root,
            new Dictionary<string, string> { ["PAPYRA_BACKEND"] = "json", ["PAPYRA_PATH"] = dir.Store },
            "persistence", "scan", "--backend", "MEMORY", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal("memory", result.Json().GetProperty("backend").GetString());
    }

    [Fact]
    public async Task An_explicit_config_file_is_read_instead_of_papyra_json()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        Directory.CreateDirectory(dir.PathOf("conf"));
        await File.WriteAllTextAsync(dir.PathOf("conf/ops.json"), """{ "path": "../events.ndjson" }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "inspect", "--config", "conf/ops.json", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal(dir.Store, result.Json().GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_missing_explicit_config_file_exits_64()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--config", "nowhere.json");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "does not exist");
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{ "pathh": "x" }""", "Unknown key 'pathh'")]
    [InlineData("""{ "backend": "sqlite" }""", "Invalid backend 'sqlite'")]
    [InlineData("""{ "retention": { "max_records": "ten" } }""", "'retention.max_records'")]
    [InlineData("[1, 2]", "must hold a JSON object")]
    [InlineData("""{ "path": ["a", "b"] }""", "The key 'path' in")]
    [InlineData("""{ "retention": 5 }""", "The key 'retention' in")]
    [InlineData("""{ "path": "a", "path": "b" }""", "duplicate key 'path'")]
    [InlineData("""{ "retention": { "max_recordz": 1 } }""", "Unknown key 'retention.max_recordz'")]
    public async Task An_invalid_config_file_exits_64_naming_the_problem(string content, string expected)
    {
        using var dir = new StoreDirectory();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), content);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, expected);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_exits_64_with_its_position_and_no_parser_internals()
    {
        using var dir = new StoreDirectory();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), "{ not json");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(64, result);
        Assert.Equal($"papyra: error: The config file '{dir.PathOf("papyra.json")}' is not valid JSON (line 1, column 3).\n", result.StandardError);
    }

    [Fact]
    public async Task The_unknown_key_error_lists_exactly_the_keys_the_parser_accepts_redis_tls_ca_included()
    {
        using var dir = new StoreDirectory();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "pathh": "x" }""");

        CliResult unknown = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);
        string[] listed = unknown.StandardError.Split("known keys: ", 2)[1].TrimEnd().TrimEnd('.').Split(", ");

        // Every listed key, set to null ("not set"), in one file: the parser must accept each of them.
        var sections = listed.Where(k => k.Contains('.', StringComparison.Ordinal)).GroupBy(k => k.Split('.')[0]);
        string config = "{ " + string.Join(", ", listed.Where(k => !k.Contains('.', StringComparison.Ordinal)).Select(k => $"\"{k}\": null")
            .Concat(sections.Select(g => $"\"{g.Key}\": {{ {string.Join(", ", g.Select(k => $"\"{k.Split('.')[1]}\": null"))} }}"))) + " }";
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), config);
        CliResult everyKey = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(64, unknown);
        Assert.Contains("redis.tls_ca", listed);
        Assert.Equal(Papyra.Cli.Configuration.SettingKeys.Names, listed);
        CliAssert.ExitCode(0, everyKey);
    }

    [Theory]
    [InlineData("--path")]
    [InlineData("--config")]
    public async Task An_empty_file_option_exits_64_instead_of_naming_the_working_directory(string option)
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", option, "");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, $"The {option} value is empty; give a file name.");
    }

    [Fact]
    public async Task An_empty_path_in_the_config_file_exits_64_instead_of_deferring_to_the_environment()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "path": "" }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, new Dictionary<string, string> { ["PAPYRA_PATH"] = dir.Store }, "persistence", "scan");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "The key 'path' in ");
        Assert.Contains("is an empty string", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_store_anywhere_exits_64_explaining_how_to_name_one()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "events");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "--path");
    }

    [Fact]
    public async Task An_unknown_backend_option_exits_64_listing_the_backends()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "sqlite");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "json, rotating, memory, redis");
    }

    [Theory]
    [InlineData("json")]
    [InlineData("rotating")]
    public async Task A_file_backend_without_a_path_exits_64(string backend)
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", backend);

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "needs a store path");
    }

    [Fact]
    public async Task A_redis_store_without_a_url_exits_64_saying_how_to_give_one()
    {
        using var dir = new StoreDirectory();

        // Opened through the redis provider: its configuration error is a usage error, like any bad option.
        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "redis");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "The redis backend needs a server URL");
    }

    public static TheoryData<string> NumericSettings => [.. SettingKeys.All.Where(k => k.Kind is not (SettingKind.Text or SettingKind.FilePath)).Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(NumericSettings))]
    public async Task Every_numeric_setting_is_read_from_its_variable_and_its_config_key_and_a_bad_value_exits_64_naming_both(string name)
    {
        SettingKey key = SettingKeys.All.Single(k => k.Name == name);
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        string[] sections = name.Split('.');
        string json = sections.Length == 1 ? $$"""{ "{{name}}": "ten" }""" : $$"""{ "{{sections[0]}}": { "{{sections[1]}}": "ten" } }""";

        CliResult fromEnvironment = await PapyraProcess.RunAsync(dir.Root, new Dictionary<string, string> { [key.EnvironmentVariable] = "ten" }, "persistence", "scan", "--path", dir.Store);
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), json);
        CliResult fromFile = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(64, fromEnvironment);
        CliAssert.OneSentenceError(fromEnvironment, $"Invalid {key.EnvironmentVariable} value 'ten': expected a");
        CliAssert.ExitCode(64, fromFile);
        CliAssert.OneSentenceError(fromFile, $"Invalid '{name}' in '{dir.PathOf("papyra.json")}' value 'ten': expected a");
    }

    [Fact]
    public async Task A_number_written_as_a_string_in_the_config_file_is_read_like_an_environment_variable()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "retention": { "max_records": "2" } }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "inspect", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal(2, result.Json().GetProperty("retention").GetProperty("max_records").GetInt64());
    }

    [Fact]
    public async Task A_retention_limit_from_the_option_wins_over_the_config_file_which_wins_over_the_environment()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "retention": { "max_records": 2 } }""");
        var environment = new Dictionary<string, string> { ["PAPYRA_RETENTION_MAX_RECORDS"] = "3", ["PAPYRA_RETENTION_MAX_AGE_SECONDS"] = "60" };

        CliResult fileOverEnvironment = await PapyraProcess.RunAsync(dir.Root, environment, "persistence", "inspect", "--path", dir.Store, "--json");
        CliResult optionOverFile = await PapyraProcess.RunAsync(dir.Root, environment, "persistence", "inspect", "--path", dir.Store, "--max-records", "1", "--json");

        CliAssert.ExitCode(0, fileOverEnvironment);
        Assert.Equal(2, fileOverEnvironment.Json().GetProperty("retention").GetProperty("max_records").GetInt64());
        Assert.Equal(60, fileOverEnvironment.Json().GetProperty("retention").GetProperty("max_age_seconds").GetDouble());
        CliAssert.ExitCode(0, optionOverFile);
        Assert.Equal(1, optionOverFile.Json().GetProperty("retention").GetProperty("max_records").GetInt64());
    }

    [Fact]
    public async Task An_empty_backend_option_exits_64_listing_the_backends()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--backend", " ");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "The --backend value is empty: expected one of ");
    }
}
