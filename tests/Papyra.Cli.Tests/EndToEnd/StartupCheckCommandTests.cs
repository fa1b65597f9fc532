using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class StartupCheckCommandTests
{
    [Fact]
    public async Task Startup_check_of_a_healthy_store_exits_0()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "startup-check", "--path", dir.Store, "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("healthy", json.GetProperty("outcome").GetString());
        Assert.Equal("fail_on_anomaly", json.GetProperty("mode").GetString());
        Assert.Equal("repair", json.GetProperty("recovery_mode").GetString());
    }

    [Fact]
    public async Task Startup_check_fails_with_4_on_anomalies_in_the_default_fail_on_anomaly_mode()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "startup-check", "--path", dir.Store, "--json");

        CliAssert.ExitCode(4, result);
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("passed").GetBoolean());
        Assert.Equal("anomalies_found", json.GetProperty("outcome").GetString());
        Assert.True(json.GetProperty("anomalies").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Startup_check_in_recover_mode_exits_5_when_recovery_cannot_make_the_store_clean()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "startup-check", "--path", dir.Store, "--mode", "recover", "--recovery-mode", "ignore", "--json");

        CliAssert.ExitCode(5, result);
        JsonElement json = result.Json();
        Assert.Equal("recovery_incomplete", json.GetProperty("outcome").GetString());
        Assert.False(json.GetProperty("verification").GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task Startup_check_in_recover_mode_repairs_and_exits_0()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "startup-check", "--path", dir.Store, "--mode", "Recover", "--json");

        CliAssert.ExitCode(0, result);
        Assert.Equal("recovered", result.Json().GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Startup_check_with_quarantine_recovery_and_no_directory_exits_64_even_on_a_healthy_store()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "startup-check", "--path", dir.Store, "--mode", "recover", "--recovery-mode", "quarantine");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "--quarantine-dir");
    }

    [Fact]
    public async Task Startup_check_with_an_unknown_mode_exits_64()
    {
        using var dir = new StoreDirectory();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "persistence", "startup-check", "--path", dir.Store, "--mode", "scan_only");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "fail_on_anomaly, ignore, recover");
    }
}
