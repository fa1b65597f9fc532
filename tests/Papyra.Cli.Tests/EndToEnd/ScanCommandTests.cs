using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class ScanCommandTests
{
    [Fact]
    public async Task Scan_of_a_healthy_store_exits_0_with_an_empty_anomaly_list()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("json", json.GetProperty("backend").GetString());
        Assert.Equal(dir.Store, json.GetProperty("path").GetString());
        Assert.True(json.GetProperty("healthy").GetBoolean());
        Assert.Equal(0, json.GetProperty("anomalies").GetArrayLength());
    }

    [Fact]
    public async Task Scan_of_a_damaged_store_exits_2_and_reports_each_anomaly_with_line_and_offset()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--json");

        CliAssert.ExitCode(2, result);
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("healthy").GetBoolean());
        JsonElement[] anomalies = [.. json.GetProperty("anomalies").EnumerateArray()];
        JsonElement corrupted = Assert.Single(anomalies, a => a.GetProperty("type").GetString() == "CorruptedLine");
        Assert.Equal(2, corrupted.GetProperty("line").GetInt64());
        Assert.Equal(StoreDirectory.Event1.Length + 1, corrupted.GetProperty("offset").GetInt64());
        JsonElement truncated = Assert.Single(anomalies, a => a.GetProperty("type").GetString() == "TruncatedLine");
        Assert.Equal(4, truncated.GetProperty("line").GetInt64());
        Assert.True(anomalies.All(a => a.TryGetProperty("detail", out _)));
    }

    [Fact]
    public async Task Scan_table_output_names_the_anomaly_types()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(2, result);
        Assert.Contains("CorruptedLine", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TruncatedLine", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_never_changes_the_store()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();
        byte[] before = await File.ReadAllBytesAsync(dir.Store);

        await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Store));
        Assert.Equal(["events.ndjson"], dir.Files());
    }

    [Fact]
    public async Task Scan_of_a_missing_store_is_healthy_and_creates_nothing()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        Assert.True(result.Json().GetProperty("healthy").GetBoolean());
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Scan_of_a_directory_exits_74_with_one_sentence()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", dir.Root);

        CliAssert.ExitCode(74, result);
        CliAssert.OneSentenceError(result, "is a directory");
    }

    [Fact]
    public async Task Scan_of_a_path_under_a_file_exits_74()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--path", Path.Combine(dir.Store, "inner.ndjson"), "--json");

        CliAssert.ExitCode(74, result);
        CliAssert.OneSentenceError(result, "is a file");
    }

    [Fact]
    public async Task Scan_of_an_in_memory_store_is_healthy()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "scan", "--backend", "Memory", "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("memory", json.GetProperty("backend").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("path").ValueKind);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Scan_of_a_file_without_read_permission_exits_74_with_one_sentence()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        File.SetUnixFileMode(dir.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(dir.Store, UnixFileMode.None);

        CliResult result = await PapyraProcess.RunUnprivilegedAsync(dir.Root, "persistence", "scan", "--path", dir.Store);

        CliAssert.ExitCode(74, result);
        CliAssert.OneSentenceError(result, "permission denied");
    }
}
