using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class RotatingBackendTests
{
    [Fact]
    public async Task Scan_of_a_rotating_set_reads_every_file_and_flags_a_stray_file_with_exit_2()
    {
        using var dir = new StoreDirectory();
        dir.WriteLines(dir.Store, StoreDirectory.Event2);
        dir.WriteLines(dir.Store + ".1", StoreDirectory.Event1);
        dir.WriteLines(dir.Store + ".bak", StoreDirectory.Event3);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "rotating", "--path", dir.Store, "--json");

        CliAssert.ExitCode(2, result);
        JsonElement json = result.Json();
        Assert.Equal("rotating", json.GetProperty("backend").GetString());
        JsonElement anomaly = Assert.Single(json.GetProperty("anomalies").EnumerateArray());
        Assert.Equal("OrphanedRotatedFile", anomaly.GetProperty("type").GetString());
        Assert.Equal(dir.Store + ".bak", anomaly.GetProperty("path").GetString());
    }

    [Fact]
    public async Task A_set_of_more_files_than_the_default_is_read_whole_with_no_settings_and_recover_moves_nothing()
    {
        // Written with max_files 10; the CLI is told nothing about it (its default is 5 files).
        using var dir = new StoreDirectory();
        dir.WriteLines(dir.Store, StoreDirectory.Event2);
        for (int k = 1; k <= 9; k++)
        {
            dir.WriteLines($"{dir.Store}.{k}", StoreDirectory.Event1);
        }

        CliResult summary = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--backend", "rotating", "--path", dir.Store, "--json");
        CliResult recover = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--backend", "rotating", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, summary);
        Assert.Equal(10, summary.Json().GetProperty("events").GetInt64());
        CliAssert.ExitCode(0, recover);
        Assert.Equal(10, Directory.EnumerateFiles(dir.Root, "events.ndjson*").Count());
        CliResult after = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--backend", "rotating", "--path", dir.Store, "--json");
        Assert.Equal(10, after.Json().GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task The_rotating_set_size_comes_from_the_config_file()
    {
        using var dir = new StoreDirectory();
        dir.WriteLines(dir.Store, StoreDirectory.Event2);
        dir.WriteLines(dir.Store + ".1", StoreDirectory.Event1);
        dir.WriteLines(dir.Store + ".9", StoreDirectory.Event3);
        await File.WriteAllTextAsync(dir.PathOf("papyra.json"), """{ "backend": "rotating", "path": "events.ndjson", "rotating": { "max_files": 10 } }""");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "inspect", "summary", "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("rotating", json.GetProperty("backend").GetString());
        Assert.Equal(3, json.GetProperty("events").GetInt64());
    }
}
