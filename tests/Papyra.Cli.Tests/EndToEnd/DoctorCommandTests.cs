using System.Text.Json;
using Papyra.Cli.Tests.Infrastructure;

namespace Papyra.Cli.Tests.EndToEnd;

public sealed class DoctorCommandTests
{
    [Fact]
    public async Task Doctor_on_a_healthy_store_exits_0_and_says_so()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store);

        CliAssert.ExitCode(0, result);
        Assert.Contains("Persistence is healthy", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_exits_1_on_anomalies_in_the_default_fail_on_anomaly_mode()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store, "--json");

        CliAssert.ExitCode(1, result);
        JsonElement json = result.Json();
        Assert.Equal("anomalies_found", json.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("recovery").ValueKind);
    }

    [Fact]
    public async Task Doctor_accepts_mode_values_in_any_case_with_dashes_or_underscores()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store, "--mode", "Fail-On-Anomaly", "--json");

        CliAssert.ExitCode(1, result);
        Assert.Equal("fail_on_anomaly", result.Json().GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Doctor_in_ignore_mode_reports_anomalies_and_exits_0()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store, "--mode", "IGNORE", "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("anomalies_ignored", json.GetProperty("outcome").GetString());
        Assert.True(json.GetProperty("anomalies").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Doctor_in_recover_mode_repairs_and_exits_0_after_a_clean_verification()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store, "--mode", "recover", "--json");

        CliAssert.ExitCode(0, result);
        JsonElement json = result.Json();
        Assert.Equal("recovered", json.GetProperty("outcome").GetString());
        Assert.True(json.GetProperty("verification").GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task Doctor_exits_2_when_anomalies_remain_after_recovery()
    {
        using var dir = new StoreDirectory();
        dir.WriteDamagedStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store, "--mode", "recover", "--recovery-mode", "ignore");

        CliAssert.ExitCode(2, result);
        Assert.Contains("still finds", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_validates_the_recovery_mode_before_scanning()
    {
        using var dir = new StoreDirectory();
        dir.WriteHealthyStore();

        CliResult result = await PapyraProcess.RunAsync(dir.Root, "doctor", "run", "--path", dir.Store, "--recovery-mode", "rebuild");

        CliAssert.ExitCode(64, result);
        CliAssert.OneSentenceError(result, "--recovery-mode");
    }
}
