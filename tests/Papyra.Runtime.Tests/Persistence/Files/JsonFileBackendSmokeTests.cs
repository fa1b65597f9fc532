using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Json;

namespace Papyra.Runtime.Tests.Persistence.Files;

public sealed class JsonFileBackendSmokeTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Written_records_read_back_after_reopening()
    {
        await using (var backend = new JsonFilePersistenceBackend(_store.Path))
        {
            await backend.RecordEventAsync(new PersistedEvent("local", new ActorAddress("local", 1), "ActorStarted", null, 12.5));
            await backend.RecordDeadLetterAsync(new PersistedDeadLetter("local", new ActorAddress("local", 2), "String", JsonDocument.Parse("\"héllo 😀\"").RootElement, 13));
        }

        await using var reopened = new JsonFilePersistenceBackend(_store.Path);
        PersistenceReadResult<PersistedEvent> events = await reopened.ReadEventsAsync();
        Assert.Equal("ActorStarted", Assert.Single(events.Records).EventType);
        Assert.Equal("héllo 😀", Assert.Single((await reopened.ReadDeadLettersAsync()).Records).Payload.GetString());
        Assert.Contains("héllo 😀", _store.Read(), StringComparison.Ordinal);
        Assert.False((await reopened.ScanAsync()).HasAnomalies);
    }

    [Fact]
    public async Task Repair_keeps_valid_lines_and_moves_the_truncated_tail_to_a_sidecar()
    {
        _store.Write("{\"kind\":\"event\",\"timestamp\":1}\n{\"kind\":\"event\"");
        await using var backend = new JsonFilePersistenceBackend(_store.Path);

        PersistenceRecoveryReport report = await backend.RecoverAsync(PersistenceRecoveryConfig.Repair);

        Assert.Equal(PersistenceAnomalyType.TruncatedLine, Assert.Single(report.Scan.Anomalies).Type);
        Assert.True(report.IsClean);
        Assert.Equal("{\"kind\":\"event\",\"timestamp\":1}\n", _store.Read());
        Assert.Equal("{\"kind\":\"event\"\n", File.ReadAllText(Assert.Single(report.RejectedFiles)));
    }
}
