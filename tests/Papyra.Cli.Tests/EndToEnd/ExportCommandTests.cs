using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

/// <summary><c>papyra export</c>: NDJSON and CSV, filters, a file destination, and damaged stores (issue 16).</summary>
public sealed class ExportCommandTests
{
    private const string CsvHeader = "kind,timestamp,time_utc,system_id,actor,type,expects_reply,payload,total_actors,alive_actors,stopping_actors,restarting_actors,registry_size,dead_letters_count";

    [Fact]
    public async Task Ndjson_export_prints_every_record_oldest_first_in_the_store_format()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        Assert.Equal(string.Empty, result.StandardError);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(["event", "event", "event", "audit", "dead_letter"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString()));
        Assert.Equal([100.0, 200, 300, 400, 500], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("timestamp").GetDouble()));
    }

    [Fact]
    public async Task Csv_export_has_the_documented_columns_and_quotes_commas_quotes_and_newlines()
    {
        using var dir = new StoreDirectory();
        dir.WriteStore(
            StoreDirectory.Event1,
            """{"kind":"dead_letter","system_id":"local","target":{"system":"local","actor_id":2},"message_type":"Say, \"hi\"","payload":"line1\nline2, \"q\"","timestamp":150.5,"expects_reply":true}""",
            StoreDirectory.Audit1);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--format", "csv");

        CliAssert.ExitCode(0, result);
        Assert.Equal(
            CsvHeader + "\n"
            + "event,100,1970-01-01T00:01:40.000Z,local,local:1,ActorStarted,,{},,,,,,\n"
            + "dead_letter,150.5,1970-01-01T00:02:30.500Z,local,local:2,\"Say, \"\"hi\"\"\",true,\"\"\"line1\\nline2, \\\"\"q\\\"\"\"\"\",,,,,,\n"
            + "audit,400,1970-01-01T00:06:40.000Z,local,,,,,2,1,0,0,1,1\n",
            result.StandardOutput);
    }

    [Fact]
    public async Task Filters_select_by_kind_time_actor_and_type_and_out_writes_a_file()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        string file = dir.PathOf("export/out.ndjson");
        Directory.CreateDirectory(dir.PathOf("export"));

        CliResult kinds = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--kind", "audit,dead-letter");
        CliResult window = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--since", "200", "--until", "300");
        CliResult actor = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--actor", "local:1", "--type", "ActorStopped");
        CliResult toFile = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--kind", "event", "--out", file);
        CliResult bad = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--kind", "gossip");
        CliResult badFormat = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--format", "xml");

        Assert.Equal([400.0, 500], Timestamps(kinds.StandardOutput));
        Assert.Equal([200.0, 300], Timestamps(window.StandardOutput));
        Assert.Equal([300.0], Timestamps(actor.StandardOutput));
        CliAssert.ExitCode(0, toFile);
        string exported = await File.ReadAllTextAsync(file);
        Assert.Equal([100.0, 200, 300], Timestamps(exported));
        Assert.Contains("Exported 3 records", toFile.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(dir.Files(), f => f.Contains(".partial.", StringComparison.Ordinal));
        CliAssert.ExitCode(64, bad);
        CliAssert.OneSentenceError(bad, "Invalid --kind value 'gossip'");
        CliAssert.ExitCode(64, badFormat);
        CliAssert.OneSentenceError(badFormat, "Invalid --format value 'xml': expected ndjson or csv.");
    }

    [Fact]
    public async Task Export_of_a_damaged_store_skips_and_counts_the_damaged_lines_instead_of_failing()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult ndjson = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store);
        CliResult csv = await PapyraProcess.RunAsync(dir.Root, "export", "--path", dir.Store, "--format", "csv");

        CliAssert.ExitCode(0, ndjson);
        Assert.Equal([100.0, 200], Timestamps(ndjson.StandardOutput));
        Assert.Contains("2 damaged lines were skipped", ndjson.StandardError, StringComparison.Ordinal);
        CliAssert.NoStackTrace(ndjson);
        CliAssert.ExitCode(0, csv);
        Assert.Equal(3, csv.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static double[] Timestamps(string ndjson)
        => [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("timestamp").GetDouble())];
}
