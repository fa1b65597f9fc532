using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Runtime.Tests.Persistence.Files;
using Papyra.Runtime.Tests.Support;

namespace Papyra.Runtime.Tests.Persistence.Faults;

/// <summary>
/// A store owned by a service user with mode 0600 stays so through repair, compaction and
/// quarantine (rewrites used to leave it root 0644: world-readable and no longer writable by the
/// service), and its sidecars get the same mode and owner. Runs as root, as CI does.
/// </summary>
public sealed class OwnershipTests : IDisposable
{
    private const string ServiceOwner = "65534:65534"; // nobody:nogroup
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("repair")]
    [InlineData("compact")]
    [InlineData("quarantine")]
    public async Task Maintenance_keeps_the_stores_mode_and_owner_and_gives_them_to_its_sidecars(string operation)
    {
        _store.Write("{\"kind\":\"event\",\"timestamp\":1}\nnot json\n{\"kind\":\"event\",\"timestamp\":2}\n");
        Run("chown", ServiceOwner, _store.Path);
        Run("chmod", "0600", _store.Path);
        await using var backend = new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false, Retention = operation == "compact" ? new RetentionPolicy(maxRecords: 1) : null });

        switch (operation)
        {
            case "repair":
                Assert.True((await backend.RecoverAsync(PersistenceRecoveryConfig.Repair)).IsClean);
                break;
            case "compact":
                Assert.Equal(1, (await backend.CompactAsync()).RejectedLines);
                break;
            default:
                Assert.True((await backend.RecoverAsync(new PersistenceRecoveryConfig(PersistenceRecoveryMode.Quarantine))).IsClean);
                break;
        }

        Assert.Equal($"600 {ServiceOwner}", Stat(_store.Path));
        string[] sideFiles = [.. _store.FilesBeside().Where(f => f != "store.ndjson")];
        Assert.NotEmpty(sideFiles);
        Assert.All(sideFiles, f => Assert.Equal($"600 {ServiceOwner}", Stat(Path.Combine(_store.Directory, f))));
    }

    private static string Stat(string path) => Run("stat", "-c", "%a %u:%g", path).Trim();

    private static string Run(string file, params string[] arguments)
    {
        (int code, string output, string error) = Command.Run(file, arguments);
        Assert.True(code == 0, $"{file} failed: {error}");
        return output;
    }
}
