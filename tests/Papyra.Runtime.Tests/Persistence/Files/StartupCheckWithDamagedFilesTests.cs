using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Startup;

namespace Papyra.Runtime.Tests.Persistence.Files;

public sealed class StartupCheckWithDamagedFilesTests : IDisposable
{
    private const string Damaged = "{\"kind\":\"event\",\"timestamp\":1}\ngarbage\n{\"kind\":\"event\"";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Ignore_mode_passes_with_anomalies_and_leaves_the_file_untouched()
    {
        _store.Write(Damaged);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceStartupReport report = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.Ignore));

        Assert.True(report.Passed);
        Assert.Equal(2, report.Scan!.TotalAnomalies);
        Assert.Null(report.Recovery);
        Assert.Equal(Damaged, _store.Read());
    }

    [Fact]
    public async Task Fail_on_anomaly_refuses_to_start_and_names_the_store_in_the_exception()
    {
        _store.Write(Damaged);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceStartupReport report = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.FailOnAnomaly));
        var exception = new PersistenceStartupException(report);

        Assert.False(report.Passed);
        Assert.Equal(Damaged, _store.Read());
        Assert.Contains(_store.Path, exception.Message, StringComparison.Ordinal);
        Assert.Contains("CorruptedLine", exception.Message, StringComparison.Ordinal);
        Assert.Contains("TruncatedLine", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recover_mode_repairs_by_default_and_passes_on_a_clean_verification()
    {
        _store.Write(Damaged);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceStartupReport report = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.Recover));

        Assert.True(report.Passed);
        Assert.Equal(PersistenceRecoveryMode.Repair, report.Recovery!.Mode);
        Assert.Equal("{\"kind\":\"event\",\"timestamp\":1}\n", _store.Read());
        Assert.Single(report.Recovery.RejectedFiles);
    }

    [Fact]
    public async Task Recover_mode_with_ignore_recovery_fails_because_the_verification_is_dirty()
    {
        _store.Write(Damaged);
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceStartupReport report = await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(PersistenceStartupMode.Recover, PersistenceRecoveryConfig.Ignore));

        Assert.False(report.Passed);
        Assert.True(report.Recovery!.Verification.HasAnomalies);
        Assert.Contains("remain", new PersistenceStartupException(report).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_healthy_or_missing_store_passes_every_mode()
    {
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        foreach (PersistenceStartupMode mode in Enum.GetValues<PersistenceStartupMode>())
        {
            Assert.True((await PersistenceStartupCheck.RunAsync(backend, new PersistenceStartupConfig(mode))).Passed);
        }

        Assert.False(File.Exists(_store.Path));
    }
}
