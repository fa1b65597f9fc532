using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class RecoverCommandTests
{
    [Fact]
    public async Task Recover_repairs_by_default_keeps_valid_lines_and_exits_0_after_a_clean_verification()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("repair", json.GetProperty("mode").GetString());
        Assert.True(json.GetProperty("anomalies").GetArrayLength() > 0);
        Assert.True(json.GetProperty("verification").GetProperty("healthy").GetBoolean());
        Assert.Equal(0, json.GetProperty("verification").GetProperty("anomalies").GetArrayLength());
        Assert.Equal($"{StoreDirectory.Event1}\n{StoreDirectory.Event2}\n", await File.ReadAllTextAsync(dir.Store));
        string sidecar = Assert.Single(json.GetProperty("recovery").GetProperty("rejected_files").EnumerateArray()).GetString()!;
        Assert.Contains("not json at all\n", await File.ReadAllTextAsync(sidecar), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recover_in_ignore_mode_on_a_damaged_store_exits_3_and_changes_nothing()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();
        byte[] before = await File.ReadAllBytesAsync(dir.Store);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--path", dir.Store, "--mode", "ignore", "--json");

        CliAssert.ExitCode(3, result);
        Assert.False(result.Json().GetProperty("verification").GetProperty("healthy").GetBoolean());
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Store));
    }

    [Fact]
    public async Task Recover_in_quarantine_mode_without_a_directory_exits_64_and_changes_nothing()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();
        byte[] before = await File.ReadAllBytesAsync(dir.Store);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--path", dir.Store, "--mode", "quarantine");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "--quarantine-dir");
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Store));
        Assert.Equal(["events.ndjson"], dir.Files());
    }

    [Fact]
    public async Task Recover_in_quarantine_mode_moves_the_original_bytes_into_the_quarantine_directory()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();
        byte[] before = await File.ReadAllBytesAsync(dir.Store);
        string quarantine = dir.PathOf("quarantine");

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--path", dir.Store, "--mode", "QUARANTINE", "--quarantine-dir", quarantine, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("quarantine", json.GetProperty("mode").GetString());
        string moved = Assert.Single(json.GetProperty("recovery").GetProperty("quarantined_files").EnumerateArray()).GetString()!;
        Assert.StartsWith(quarantine, moved, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(moved));
        Assert.True(!File.Exists(dir.Store) || new FileInfo(dir.Store).Length == 0);
    }

    [Fact]
    public async Task Recover_with_an_unknown_mode_exits_64_naming_the_value()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--path", dir.Store, "--mode", "rebuild");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "'rebuild'");
    }

    [Fact]
    public async Task Recover_of_a_healthy_store_exits_0_and_keeps_it_byte_for_byte()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();
        byte[] before = await File.ReadAllBytesAsync(dir.Store);

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "recover", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        Assert.Contains("healthy", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(dir.Store));
    }
}
