using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Runtime.Tests.Persistence.Files;

namespace Papyra.Runtime.Tests.Persistence.Faults;

/// <summary>Sidecars exist only complete, and the same damage is never written to two of them.</summary>
public sealed class SidecarTests : IDisposable
{
    private const string Damaged = "{\"kind\":\"event\",\"timestamp\":1}\nnot json\n{\"kind\":\"event\",\"timestamp\":2}\nalso not json\n";
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_repair_rerun_after_a_kill_between_sidecar_and_rewrite_reuses_the_complete_sidecar()
    {
        // What a repair killed after renaming its sidecar into place, before replacing the store, leaves.
        _store.Write(Damaged);
        string earlier = _store.Path + ".rejected.1700000000000";
        File.WriteAllText(earlier, "not json\nalso not json\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.True(report.IsClean);
        Assert.Equal([earlier], report.RejectedFiles);
        Assert.Equal(["store.ndjson", "store.ndjson.rejected.1700000000000"], _store.FilesBeside());
    }

    [Fact]
    public async Task A_different_earlier_sidecar_is_kept_and_a_new_one_written()
    {
        _store.Write(Damaged);
        File.WriteAllText(_store.Path + ".rejected.1700000000000", "other damage\n");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        string written = Assert.Single(report.RejectedFiles);
        Assert.NotEqual(_store.Path + ".rejected.1700000000000", written);
        Assert.Equal("not json\nalso not json\n", File.ReadAllText(written));
        Assert.Equal("other damage\n", File.ReadAllText(_store.Path + ".rejected.1700000000000"));
    }

    [Fact]
    public async Task A_partial_sidecar_temp_of_a_dead_process_is_deleted_by_the_next_repair_and_never_reported()
    {
        _store.Write(Damaged);
        File.WriteAllText(_store.Path + ".rejected.4194305.tmp", "not js");
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false });

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(2, report.Scan.TotalAnomalies);
        Assert.True(report.IsClean);
        Assert.DoesNotContain(_store.FilesBeside(), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
