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
        dir.WriteLines(dir.Store + ".9", StoreDirectory.Event3);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "rotating", "--path", dir.Store, "--json");

        CliAssert.ExitCode(2, result);
        JsonElement json = result.Json();
        Assert.Equal("rotating", json.GetProperty("backend").GetString());
        JsonElement anomaly = Assert.Single(json.GetProperty("anomalies").EnumerateArray());
        Assert.Equal("OrphanedRotatedFile", anomaly.GetProperty("type").GetString());
        Assert.Equal(dir.Store + ".9", anomaly.GetProperty("path").GetString());
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
