using System.Globalization;
using System.Text.Json;
using Papyra.Persistence;
using Papyra.Persistence.Json;
using Papyra.Persistence.Rotating;

namespace Papyra.Runtime.Tests.Persistence.Files;

/// <summary>
/// Streaming reads of the file stores beyond the conformance kit: resuming across rotation,
/// positions a compaction invalidated, following across a rotation, reading while a writer appends,
/// newest first by blocks, and memory that stays bounded on a store far larger than it.
/// </summary>
[Collection(nameof(Hostile.HostileInputTests))] // the memory bound reads process-wide figures: no other test may run beside it
public sealed class StreamingReadTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempStore _store = new("events.ndjson");

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task Resuming_after_a_position_yields_exactly_the_rest_across_rotations()
    {
        await using var backend = Rotating(maxBytes: 2000);
        await AppendAsync(backend, 0, 100);
        List<StoredRecord> first = await ReadAsync(backend, new PersistenceReadRequest { Limit = 30, Order = PersistenceReadOrder.NewestFirst });
        PersistencePosition oldest = first[^1].Position;
        List<StoredRecord> head = await ReadAsync(backend, PersistenceReadRequest.All);
        PersistencePosition after40 = head[40].Position;

        await AppendAsync(backend, 100, 150); // rotates the file holding record 40 to another name
        Assert.True(_store.FilesBeside().Length > 3);

        PersistencePosition restored = PersistencePosition.Parse(after40.ToString());
        Assert.Equal(Enumerable.Range(41, 109).Select(i => (long)i), Seqs(await ReadAsync(backend, new PersistenceReadRequest { After = restored })));
        Assert.Equal(Enumerable.Range(0, 40).Reverse().Select(i => (long)i), Seqs(await ReadAsync(backend, new PersistenceReadRequest { After = restored, Order = PersistenceReadOrder.NewestFirst })));
        Assert.Equal(Enumerable.Range(0, 70).Reverse().Select(i => (long)i), Seqs(await ReadAsync(backend, new PersistenceReadRequest { After = oldest, Order = PersistenceReadOrder.NewestFirst })));
    }

    [Fact]
    public async Task A_position_in_a_file_that_compaction_rewrote_is_a_clear_error()
    {
        await using (var writer = Json())
        {
            await AppendAsync(writer, 0, 20);
        }

        PersistencePosition position;
        await using (var reader = Json())
        {
            position = (await ReadAsync(reader, PersistenceReadRequest.All))[4].Position;
        }

        await using var compacting = Json(new RetentionPolicy(maxRecords: 10));
        await compacting.CompactAsync();

        PersistencePositionException error = await Assert.ThrowsAsync<PersistencePositionException>(
            async () => await ReadAsync(compacting, new PersistenceReadRequest { After = position }));
        Assert.Contains(position.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("rewritten", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Following_yields_the_backlog_then_appended_records_across_a_rotation()
    {
        await using var backend = Rotating(maxBytes: 1500);
        await AppendAsync(backend, 0, 5);
        using var cancel = new CancellationTokenSource();
        var seen = new List<long>();
        var backlog = new TaskCompletionSource();
        var twentyFive = new TaskCompletionSource();
        Task follow = Task.Run(async () =>
        {
            await foreach (StoredRecord stored in backend.FollowAsync(new PersistenceReadRequest { Limit = 2 }, cancel.Token))
            {
                seen.Add(Seq(stored));
                if (seen.Count == 2)
                {
                    backlog.TrySetResult();
                }

                if (seen.Count == 25)
                {
                    twentyFive.TrySetResult();
                }
            }
        });

        await Task.WhenAny(backlog.Task, follow).WaitAsync(Wait);
        Assert.True(backlog.Task.IsCompleted, $"the follow ended before its backlog: {follow.Exception?.InnerException}");
        await AppendAsync(backend, 5, 28); // several rotations while followed
        await Task.WhenAny(twentyFive.Task, follow).WaitAsync(Wait);
        Assert.True(twentyFive.Task.IsCompleted, $"followed {string.Join(",", seen)}; {follow.Exception?.InnerException?.Message}");
        await cancel.CancelAsync();
        await follow.WaitAsync(Wait);

        Assert.True(backend.GetMetricsSnapshot().Rotations >= 2);
        Assert.Equal(Enumerable.Range(3, 25).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Reading_a_full_rotating_set_while_it_rotates_yields_a_run_of_records_without_a_hole()
    {
        // A full set (each rotation deletes the oldest file) keeps its file names from one rotation to
        // the next; a read that opens them one by one while a rotation moves contents under the names
        // it has yet to open would skip a file or read one twice.
        await using IPersistenceBackend writer = Open("rotating");
        await using IPersistenceBackend reader = Open("rotating");
        await ReadWhileWritingAsync(writer, async () => Seqs(await ReadAsync(reader, PersistenceReadRequest.All)));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("rotating")]
    public async Task A_query_read_with_retention_while_a_writer_appends_and_rotates_yields_a_run_of_records(string backendName)
    {
        // A query read with retention walks the files twice (retention over every record, then the
        // query); both walks must see the same records, whatever is appended or rotated in between.
        var retention = new RetentionPolicy(maxRecords: 1_000_000);
        await using IPersistenceBackend writer = Open(backendName, retention);
        await using IPersistenceBackend reader = Open(backendName, retention);
        await ReadWhileWritingAsync(writer, async () => [.. (await reader.ReadEventsAsync()).Records.Select(e => e.Payload.GetProperty("seq").GetInt64())]);
    }

    // Reads again and again (at least 3 s, and until 400 records were written: some 20 rotations of a
    // small set) while one writer appends numbered records; every read must be a run without a hole.
    private static async Task ReadWhileWritingAsync(IPersistenceBackend writer, Func<Task<List<long>>> read)
    {
        await AppendAsync(writer, 0, 1);
        long written = 1;
        using var stop = new CancellationTokenSource();
        Task writing = Task.Run(async () =>
        {
            for (long seq = 1; !stop.IsCancellationRequested; seq++)
            {
                await writer.RecordEventAsync(Event(seq));
                Volatile.Write(ref written, seq + 1);
            }
        });

        string? problem = null;
        int passes = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (problem is null && (started.Elapsed < TimeSpan.FromSeconds(3) || Volatile.Read(ref written) < 400) && started.Elapsed < TimeSpan.FromSeconds(30))
            {
                passes++;
                List<long> seqs = await read();
                for (int i = 1; i < seqs.Count && problem is null; i++)
                {
                    if (seqs[i] != seqs[i - 1] + 1)
                    {
                        problem = $"pass {passes}: record {seqs[i - 1]} then {seqs[i]}";
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await writing;
        }

        Assert.Null(problem);
        Assert.True(Volatile.Read(ref written) >= 400, $"only {written} records written: the set hardly rotated");
        Assert.True(passes > 20, $"only {passes} passes");
    }

    private IPersistenceBackend Open(string name, RetentionPolicy? retention = null) => name == "json"
        ? new JsonFilePersistenceBackend(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false, Retention = retention })
        : new RotatingFilePersistenceBackend(new RotatingFilePersistenceOptions { Path = _store.Path, PublishMetrics = false, MaxBytes = 1500, MaxFiles = 4, Retention = retention });

    [Fact]
    public async Task Reading_while_a_writer_appends_yields_no_partial_record_and_nothing_twice()
    {
        await using var writer = Json();
        await AppendAsync(writer, 0, 1);
        using var stop = new CancellationTokenSource();
        Task writing = Task.Run(async () =>
        {
            for (long seq = 1; !stop.IsCancellationRequested; seq++)
            {
                await writer.RecordEventAsync(Event(seq));
            }
        });

        await using var reader = Json();
        var seen = new List<long>();
        PersistencePosition? position = null;
        // Read again and again from the last position until 500 records were seen (a read is fast:
        // how many passes that takes depends on the writer), each pass racing the appends.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        int passes = 0;
        while (seen.Count < 500 && deadline.Elapsed < Wait)
        {
            passes++;
            foreach (StoredRecord stored in await ReadAsync(reader, new PersistenceReadRequest { After = position }))
            {
                seen.Add(Seq(stored));
                position = stored.Position;
            }
        }

        await stop.CancelAsync();
        await writing;
        Assert.Equal(Enumerable.Range(0, seen.Count).Select(i => (long)i), seen);
        Assert.True(seen.Count >= 500, $"{seen.Count} records seen in {passes} passes");
        Assert.True(passes > 1);
    }

    [Fact]
    public async Task Newest_first_finds_the_newest_records_by_reading_blocks_from_the_end()
    {
        // Lines of 300 kB and more: a record spans several of the reverse reader's blocks.
        await using var backend = Json();
        for (int i = 0; i < 6; i++)
        {
            await backend.RecordEventAsync(Event(i, new string('p', 300_000 * (i % 3 + 1))));
        }

        List<StoredRecord> newest = await ReadAsync(backend, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst, Limit = 4 });
        Assert.Equal([5L, 4L, 3L, 2L], Seqs(newest));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), Seqs(await ReadAsync(backend, PersistenceReadRequest.All)));
    }

    [Fact]
    public async Task Streaming_a_store_far_larger_than_the_memory_bound_keeps_the_heap_bounded()
    {
        // About 120 MB of records; the managed heap must stay far below it while all are read.
        await WriteLargeStoreAsync(_store.Path, records: 600_000, fillerBytes: 160);
        await using var backend = Json();
        long maxLive = 0;
        long count = 0;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        await foreach (StoredRecord stored in backend.StreamAsync())
        {
            if (++count % 100_000 == 0)
            {
                // What the read holds while it runs (a full collection first: garbage does not count).
                maxLive = Math.Max(maxLive, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(600_000, count);
        Assert.True(maxLive < 16L * 1024 * 1024, $"the read held {maxLive / (1024 * 1024)} MiB while streaming a {new FileInfo(_store.Path).Length / (1024 * 1024)} MiB store");
        PersistenceRecordCounts counts = await backend.CountAsync();
        Assert.Equal((600_000L, 0L), (counts.Events, counts.Skipped));
    }

    private static async Task WriteLargeStoreAsync(string path, int records, int fillerBytes)
    {
        string filler = new('f', fillerBytes);
        await using var file = new StreamWriter(path);
        for (int i = 0; i < records; i++)
        {
            await file.WriteAsync($"{{\"kind\":\"event\",\"system_id\":\"local\",\"actor_address\":{{\"system\":\"local\",\"actor_id\":1}},\"event_type\":\"Load\",\"payload\":{{\"seq\":{i.ToString(CultureInfo.InvariantCulture)},\"filler\":\"{filler}\"}},\"timestamp\":{i.ToString(CultureInfo.InvariantCulture)}}}\n");
        }
    }

    private static async Task<List<StoredRecord>> ReadAsync(IPersistenceBackend backend, PersistenceReadRequest request)
    {
        var list = new List<StoredRecord>();
        await foreach (StoredRecord stored in backend.StreamAsync(request))
        {
            list.Add(stored);
        }

        return list;
    }

    [Fact]
    public async Task Following_a_file_compacted_while_it_is_followed_ends_with_a_rewrite_error_after_its_records()
    {
        await using var backend = Json(new RetentionPolicy(maxRecords: 5));
        await AppendAsync(backend, 0, 20);
        var seen = new List<long>();
        var backlog = new TaskCompletionSource();
        Task follow = Task.Run(async () =>
        {
            await foreach (StoredRecord stored in backend.FollowAsync(new PersistenceReadRequest { Limit = 3 }))
            {
                seen.Add(Seq(stored));
                if (seen.Count == 3)
                {
                    backlog.TrySetResult();
                }
            }
        });

        await Task.WhenAny(backlog.Task, follow).WaitAsync(Wait);
        Assert.True(backlog.Task.IsCompleted, $"the follow ended before its backlog: {follow.Exception?.InnerException}");

        // Compaction writes a new file and renames it over the followed one: that is not a rotation.
        await backend.CompactAsync();
        PersistencePositionException error = await Assert.ThrowsAsync<PersistencePositionException>(() => follow.WaitAsync(Wait));
        Assert.Contains("rewritten", error.Message, StringComparison.Ordinal);
        Assert.Equal([17L, 18L, 19L], seen);
    }

    private static async Task AppendAsync(IPersistenceBackend backend, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            await backend.RecordEventAsync(Event(i));
        }
    }

    private static long Seq(StoredRecord stored) => ((PersistedEvent)stored.Record).Payload.GetProperty("seq").GetInt64();

    private static List<long> Seqs(IEnumerable<StoredRecord> records) => [.. records.Select(Seq)];

    private static PersistedEvent Event(long seq, string filler = "filler")
    {
        using JsonDocument payload = JsonDocument.Parse($"{{\"seq\":{seq.ToString(CultureInfo.InvariantCulture)},\"filler\":\"{filler}\"}}");
        return new PersistedEvent("local", new ActorAddress("local", 1), "Stream", payload.RootElement, seq);
    }

    private JsonFilePersistenceBackend Json(RetentionPolicy? retention = null)
        => new(new JsonFilePersistenceOptions { Path = _store.Path, PublishMetrics = false, Retention = retention });

    private RotatingFilePersistenceBackend Rotating(long maxBytes)
        => new(new RotatingFilePersistenceOptions { Path = _store.Path, PublishMetrics = false, MaxBytes = maxBytes, MaxFiles = 1000 });
}
