using System.Globalization;
using Papyra.Persistence;
using Xunit;

namespace Papyra.Testing;

/// <summary>The streaming cases of the kit (<see cref="IPersistenceStreamReader"/>): order, limit, filters, positions, follow and counts.</summary>
public abstract partial class PersistenceBackendConformanceTests
{
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the backend implements <see cref="IPersistenceStreamReader"/> (every built-in backend
    /// does). When it does not, the streaming tests check only that it does not.
    /// </summary>
    protected virtual bool IsStreamReader => true;

    /// <summary>
    /// Whether a position of a record that compaction kept still resumes after the compaction (the
    /// in-memory and Redis backends: positions name the record itself); file stores rewrite the file,
    /// so every earlier position is rejected instead.
    /// </summary>
    protected virtual bool PositionsOfKeptRecordsSurviveCompaction => false;

    /// <summary>
    /// Creates a backend of the same kind over another, empty store (another file, another key
    /// prefix). The default is <see cref="CreateBackend(BackendTestOptions)"/>, which is right for a
    /// backend that is not durable (each instance is a store of its own); durable backends override it.
    /// </summary>
    /// <param name="options">The retention and clock the backend must use.</param>
    /// <returns>A new backend over another store; <see langword="null"/> when there is none to make.</returns>
    protected virtual IPersistenceBackend? CreateOtherStoreBackend(BackendTestOptions options) => IsDurable ? null : CreateBackend(options);

    /// <summary>An audit at <paramref name="timestamp"/> seconds after the clock's start.</summary>
    /// <param name="timestamp">Seconds after the clock's start.</param>
    /// <returns>The audit.</returns>
    protected PersistedAudit Audit(double timestamp) => new("local", Start + timestamp, 1, 1, 0, 0, 1, null, null, 0);

    /// <summary>A dead letter at <paramref name="timestamp"/> seconds after the clock's start.</summary>
    /// <param name="timestamp">Seconds after the clock's start.</param>
    /// <param name="target">The target.</param>
    /// <param name="type">The message type.</param>
    /// <returns>The dead letter.</returns>
    protected PersistedDeadLetter DeadLetter(double timestamp, ActorAddress? target = null, string type = "String")
        => new("local", target ?? One, type, null, Start + timestamp);

    /// <summary>A record's kind and offset (seconds after the clock's start), for example <c>Event@3</c>.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The label.</returns>
    protected string Label(PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(CultureInfo.InvariantCulture, $"{record.Kind}@{Math.Round(record.Timestamp - Start, 3)}");
    }

    /// <summary>Reads everything a streaming read yields.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="request">The request.</param>
    /// <returns>The records with their positions.</returns>
    protected static async Task<List<StoredRecord>> StreamAllAsync(IPersistenceStreamReader reader, PersistenceReadRequest request)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new List<StoredRecord>();
        using var timeout = new CancellationTokenSource(StreamTimeout * 2);
        await foreach (StoredRecord record in reader.ReadAsync(request, timeout.Token))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The labels of what a streaming read yields.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="request">The request.</param>
    /// <returns>The labels, in the order read.</returns>
    protected async Task<string[]> StreamLabelsAsync(IPersistenceStreamReader reader, PersistenceReadRequest request)
        => [.. (await StreamAllAsync(reader, request)).Select(r => Label(r.Record))];

    /// <summary>A streaming read of everything yields every record of every kind in store (append) order, as the list reads give them.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_reads_every_record_oldest_first_in_store_order()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        // Timestamps out of order: store order is append order, not time order.
        await backend.RecordEventAsync(Event(3));
        await backend.RecordAuditAsync(Audit(1));
        await backend.RecordEventAsync(Event(2));
        await backend.RecordDeadLetterAsync(DeadLetter(5));
        await backend.RecordEventAsync(Event(4));

        List<StoredRecord> all = await StreamAllAsync(reader, PersistenceReadRequest.All);

        Assert.Equal(["Event@3", "Audit@1", "Event@2", "DeadLetter@5", "Event@4"], all.Select(r => Label(r.Record)));
        Assert.Equal((await backend.ReadEventsAsync()).Records.Select(Label), all.Where(r => r.Record.Kind == PersistedRecordKind.Event).Select(r => Label(r.Record)));
        Assert.Equal((await backend.ReadAuditsAsync()).Records.Select(Label), all.Where(r => r.Record.Kind == PersistedRecordKind.Audit).Select(r => Label(r.Record)));
        Assert.Equal((await backend.ReadDeadLettersAsync()).Records.Select(Label), all.Where(r => r.Record.Kind == PersistedRecordKind.DeadLetter).Select(r => Label(r.Record)));
        Assert.Equal(all.Count, all.Select(r => r.Position.ToString()).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, r => Assert.Equal(r.Position, PersistencePosition.Parse(r.Position.ToString())));
    }

    /// <summary>Newest first yields the store reversed; a limit keeps the newest records in either order.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_newest_first_and_limit_keep_the_newest_records()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2, 3);
        await backend.RecordAuditAsync(Audit(4));
        await WriteEventsAsync(backend, 5);

        Assert.Equal(["Event@5", "Audit@4", "Event@3", "Event@2", "Event@1"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst }));
        Assert.Equal(["Event@5", "Audit@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst, Limit = 2 }));
        Assert.Equal(["Audit@4", "Event@5"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Limit = 2 }));
        Assert.Equal(["Event@3", "Event@5"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Limit = 2, Kinds = [PersistedRecordKind.Event] }));
        Assert.Equal(["Event@5", "Audit@4", "Event@3", "Event@2", "Event@1"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst, Limit = 50 }));
    }

    /// <summary>Since and until are inclusive; actor, type and kinds select exactly, in both orders.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_filters_by_since_until_actor_type_and_kinds()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        await backend.RecordEventAsync(Event(1, One, "ActorStarted"));
        await backend.RecordEventAsync(Event(2, Two, "ActorStarted"));
        await backend.RecordAuditAsync(Audit(3));
        await backend.RecordEventAsync(Event(4, One, "ActorCrashed"));
        await backend.RecordDeadLetterAsync(DeadLetter(5, Two, "String"));
        await backend.RecordDeadLetterAsync(DeadLetter(6, One, "Int32"));

        Assert.Equal(["Event@2", "Audit@3", "Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Since = Start + 2, Until = Start + 4 }));
        Assert.Equal(["Event@4", "Audit@3", "Event@2"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Since = Start + 2, Until = Start + 4, Order = PersistenceReadOrder.NewestFirst }));
        Assert.Equal(["Event@1", "Audit@3", "Event@4", "DeadLetter@6"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Actor = One }));
        Assert.Equal(["Event@1", "Event@2"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Type = "ActorStarted", Kinds = [PersistedRecordKind.Event] }));
        Assert.Empty(await StreamLabelsAsync(reader, new PersistenceReadRequest { Type = "actorstarted", Kinds = [PersistedRecordKind.Event] }));
        Assert.Equal(["DeadLetter@6", "Audit@3"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Kinds = [PersistedRecordKind.Audit, PersistedRecordKind.DeadLetter], Actor = One, Order = PersistenceReadOrder.NewestFirst }));
        Assert.Equal(["DeadLetter@5"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Kinds = [PersistedRecordKind.DeadLetter], Type = "String" }));
        Assert.Equal(["Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Actor = One, Kinds = [PersistedRecordKind.Event], Limit = 1 }));
    }

    /// <summary>
    /// Resuming after any position (stored as text and parsed back) yields exactly the records after
    /// it, in either order, with no gap and no duplicate; a position read in one order resumes in the other.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_resumes_after_a_position_with_no_gap_and_no_duplicate()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        for (int i = 1; i <= 6; i++)
        {
            await (i % 3 == 0 ? backend.RecordAuditAsync(Audit(i)) : backend.RecordEventAsync(Event(i)));
        }

        List<StoredRecord> oldestFirst = await StreamAllAsync(reader, PersistenceReadRequest.All);
        List<StoredRecord> newestFirst = await StreamAllAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst });
        string[] forward = [.. oldestFirst.Select(r => Label(r.Record))];
        string[] backward = [.. newestFirst.Select(r => Label(r.Record))];
        Assert.Equal(Enumerable.Reverse(forward), backward);
        Assert.Equal(oldestFirst.Select(r => r.Position), newestFirst.Select(r => r.Position).Reverse());

        for (int i = 0; i < oldestFirst.Count; i++)
        {
            PersistencePosition saved = PersistencePosition.Parse(oldestFirst[i].Position.ToString());
            Assert.Equal(forward[(i + 1)..], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = saved }));
            Assert.Equal(backward[(oldestFirst.Count - i)..], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = saved, Order = PersistenceReadOrder.NewestFirst }));
        }

        // Resumed by a tool that read in pages: every record exactly once.
        var paged = new List<string>();
        PersistencePosition? cursor = null;
        while (true)
        {
            List<StoredRecord> page = await StreamAllAsync(reader, new PersistenceReadRequest { After = cursor, Order = PersistenceReadOrder.NewestFirst, Limit = 4 });
            if (page.Count == 0)
            {
                break;
            }

            paged.AddRange(page.Select(r => Label(r.Record)));
            cursor = page[^1].Position;
        }

        Assert.Equal(backward, paged);

        // A limit after a position keeps the newest matches after it (oldest first), or the nearest before it (newest first).
        Assert.Equal(forward[4..], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = oldestFirst[0].Position, Limit = 2 }));
        Assert.Equal([backward[3], backward[4]], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = newestFirst[2].Position, Limit = 2, Order = PersistenceReadOrder.NewestFirst }));
        Assert.Equal(["Audit@6"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = oldestFirst[0].Position, Kinds = [PersistedRecordKind.Audit], Since = Start + 4 }));
    }

    /// <summary>Text that is not a position fails to parse; a position of another kind of store, a mangled one, or one of another store of the same kind is rejected.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_rejects_positions_of_other_stores_and_garbage()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        await WriteEventsAsync(backend, 1);
        PersistencePosition own = (await StreamAllAsync(reader, PersistenceReadRequest.All))[0].Position;

        Assert.Throws<FormatException>(() => PersistencePosition.Parse("not a position"));
        Assert.Throws<FormatException>(() => PersistencePosition.Parse(""));
        await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = new PersistencePosition("no-such-store", "1") }));
        await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = new PersistencePosition(own.Scheme, "zz-not.a-position"), Order = PersistenceReadOrder.NewestFirst }));
        await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = new PersistencePosition(own.Scheme, own.Value + "9") }));

        IPersistenceBackend? other = CreateOtherStoreBackend(new BackendTestOptions(RetentionPolicy.Unlimited, Clock));
        if (other is null)
        {
            return;
        }

        await using (other)
        {
            // Written after this store's record, so the other store's last position is no record of this one.
            await WriteEventsAsync(other, 1, 2, 3);
            Assert.True(TryGetStreamReader(other, out IPersistenceStreamReader? otherReader));
            PersistencePosition foreign = (await StreamAllAsync(otherReader, PersistenceReadRequest.All))[^1].Position;

            PersistencePositionException error = await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = foreign }));
            Assert.Contains(foreign.ToString(), error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = foreign, Order = PersistenceReadOrder.NewestFirst }));
        }
    }

    /// <summary>A position of a record that compaction removed is rejected, never resumed at a wrong place; a kept record's position still resumes where the backend keeps positions across compaction.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_position_of_a_record_compaction_removed_is_rejected()
    {
        await using IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxAgeSeconds: 10));
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader) || backend is not IPersistenceCompactor compactor)
        {
            return;
        }

        await WriteEventsAsync(backend, 0, 1, 2, 3, 4);
        List<StoredRecord> before = await StreamAllAsync(reader, PersistenceReadRequest.All);
        Assert.Equal(5, before.Count);

        Clock.Advance(TimeSpan.FromSeconds(12));
        CompactionReport report = await compactor.CompactAsync();
        Assert.Equal(3, report.AfterRecords);

        PersistencePositionException error = await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = before[0].Position }));
        Assert.Contains(before[0].Position.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PersistencePositionException>(() => StreamAllAsync(reader, new PersistenceReadRequest { After = before[1].Position, Order = PersistenceReadOrder.NewestFirst }));
        List<StoredRecord> after = await StreamAllAsync(reader, PersistenceReadRequest.All);
        Assert.Equal(["Event@2", "Event@3", "Event@4"], after.Select(r => Label(r.Record)));
        Assert.Equal(["Event@3", "Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = after[0].Position }));
        if (PositionsOfKeptRecordsSurviveCompaction)
        {
            Assert.Equal(["Event@3", "Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = before[2].Position }));
            Assert.Equal(["Event@2"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = before[3].Position, Order = PersistenceReadOrder.NewestFirst }));
        }
    }

    /// <summary>
    /// Streaming reads apply retention as the list reads do: max_records keeps the newest suffix of
    /// every kind together (also newest first from a position, and for a limit), and max_age drops
    /// old records by the backend's clock.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_applies_retention_as_the_list_reads_do()
    {
        await using (IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxRecords: 3)))
        {
            if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
            {
                return;
            }

            await WriteMixedAsync(backend);

            List<StoredRecord> all = await StreamAllAsync(reader, PersistenceReadRequest.All);
            Assert.Equal(["Audit@3", "Event@4", "DeadLetter@5"], all.Select(r => Label(r.Record)));
            Assert.Equal((await backend.ReadEventsAsync()).Records.Select(Label), await StreamLabelsAsync(reader, new PersistenceReadRequest { Kinds = [PersistedRecordKind.Event] }));
            Assert.Equal(["DeadLetter@5", "Event@4", "Audit@3"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst }));
            Assert.Equal(["Event@4", "Audit@3"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = all[^1].Position, Order = PersistenceReadOrder.NewestFirst }));
            Assert.Equal(["Audit@3"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = all[1].Position, Order = PersistenceReadOrder.NewestFirst, Limit = 5 }));
            Assert.Equal(["Audit@3", "Event@4", "DeadLetter@5"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Limit = 5 }));
            Assert.Equal(["Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Kinds = [PersistedRecordKind.Event], Limit = 5 }));
        }

        await using (IPersistenceBackend aged = IsDurable ? CreateBackend(new RetentionPolicy(maxAgeSeconds: 10)) : await WriteMixedAsync(new RetentionPolicy(maxAgeSeconds: 10)))
        {
            Assert.True(TryGetStreamReader(aged, out IPersistenceStreamReader? reader));
            Clock.Advance(TimeSpan.FromSeconds(13.5));
            Assert.Equal(["Event@4", "DeadLetter@5"], await StreamLabelsAsync(reader, PersistenceReadRequest.All));
            Assert.Equal(["DeadLetter@5", "Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst }));
        }
    }

    /// <summary>
    /// A position of a record retention has since dropped (still stored, not yet compacted) resumes
    /// with only the records retention keeps: reading on, reading back, and following.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_resuming_before_the_retained_suffix_yields_only_retained_records()
    {
        await using IPersistenceBackend backend = CreateBackend(new RetentionPolicy(maxRecords: 2));
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2);
        PersistencePosition first = (await StreamAllAsync(reader, PersistenceReadRequest.All))[0].Position;
        await backend.RecordAuditAsync(Audit(3));
        await WriteEventsAsync(backend, 4);

        Assert.Equal(["Audit@3", "Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = first }));
        Assert.Empty(await StreamLabelsAsync(reader, new PersistenceReadRequest { After = first, Order = PersistenceReadOrder.NewestFirst }));
        Assert.Equal(["Event@4"], await StreamLabelsAsync(reader, new PersistenceReadRequest { After = first, Limit = 1 }));

        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<StoredRecord> follow = reader.FollowAsync(new PersistenceReadRequest { After = first }, cancel.Token).GetAsyncEnumerator();
        try
        {
            Assert.Equal("Audit@3", await NextAsync(follow));
            Assert.Equal("Event@4", await NextAsync(follow));
            await cancel.CancelAsync();
            Assert.False(await follow.MoveNextAsync().AsTask().WaitAsync(StreamTimeout));
        }
        finally
        {
            await follow.DisposeAsync();
        }
    }

    /// <summary>Counts are per kind, after retention.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Stream_counts_records_per_kind_after_retention()
    {
        await using (IPersistenceBackend unlimited = CreateBackend())
        {
            if (!TryGetStreamReader(unlimited, out IPersistenceStreamReader? reader))
            {
                return;
            }

            Assert.Equal(new PersistenceRecordCounts(0, 0, 0, 0), await reader.CountAsync());
            await WriteMixedAsync(unlimited);

            PersistenceRecordCounts counts = await reader.CountAsync();
            Assert.Equal((3L, 1L, 1L, 0L, 5L), (counts.Events, counts.Audits, counts.DeadLetters, counts.Skipped, counts.Total));
        }

        await using IPersistenceBackend limited = IsDurable ? CreateBackend(new RetentionPolicy(maxRecords: 3)) : await WriteMixedAsync(new RetentionPolicy(maxRecords: 3));
        Assert.True(TryGetStreamReader(limited, out IPersistenceStreamReader? limitedReader));
        Assert.Equal(new PersistenceRecordCounts(1, 1, 1, 0), await limitedReader.CountAsync());
    }

    /// <summary>
    /// Following yields the backlog (the newest Limit records) oldest first, then records appended
    /// while it follows, only those the request selects; cancelling a follow that waits for a record
    /// completes it without an exception.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Follow_yields_the_backlog_then_appended_records_and_completes_when_cancelled()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        await WriteEventsAsync(backend, 1, 2, 3);
        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<StoredRecord> follow = reader.FollowAsync(new PersistenceReadRequest { Limit = 2, Kinds = [PersistedRecordKind.Event], Order = PersistenceReadOrder.NewestFirst }, cancel.Token).GetAsyncEnumerator();
        try
        {
            Assert.Equal("Event@2", await NextAsync(follow));
            Assert.Equal("Event@3", await NextAsync(follow));

            ValueTask<bool> waiting = follow.MoveNextAsync();
            await backend.RecordAuditAsync(Audit(4));
            await WriteEventsAsync(backend, 5);
            await backend.FlushAsync();
            Assert.True(await waiting.AsTask().WaitAsync(StreamTimeout), "the follow ended instead of yielding the appended event");
            Assert.Equal("Event@5", Label(follow.Current.Record));

            await WriteEventsAsync(backend, 6);
            await backend.FlushAsync();
            Assert.Equal("Event@6", await NextAsync(follow));

            // Resuming from the last position yielded gives exactly what follows it.
            Assert.Empty(await StreamLabelsAsync(reader, new PersistenceReadRequest { After = follow.Current.Position }));

            waiting = follow.MoveNextAsync();
            Assert.False(waiting.IsCompleted, "the follow yielded a record nobody appended");
            await cancel.CancelAsync();
            Assert.False(await waiting.AsTask().WaitAsync(StreamTimeout), "a cancelled follow must complete, not yield");
        }
        finally
        {
            await follow.DisposeAsync();
        }
    }

    /// <summary>Following after a position yields everything after it (no limit applies), then what is appended; with neither, everything.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Follow_after_a_position_yields_every_record_after_it_then_appended_ones()
    {
        await using IPersistenceBackend backend = CreateBackend();
        if (!TryGetStreamReader(backend, out IPersistenceStreamReader? reader))
        {
            return;
        }

        await WriteEventsAsync(backend, 1);
        await backend.RecordDeadLetterAsync(DeadLetter(2));
        await WriteEventsAsync(backend, 3);
        List<StoredRecord> existing = await StreamAllAsync(reader, PersistenceReadRequest.All);

        using var cancel = new CancellationTokenSource();
        IAsyncEnumerator<StoredRecord> fromPosition = reader.FollowAsync(new PersistenceReadRequest { After = PersistencePosition.Parse(existing[0].Position.ToString()), Limit = 1 }, cancel.Token).GetAsyncEnumerator();
        IAsyncEnumerator<StoredRecord> everything = reader.FollowAsync(PersistenceReadRequest.All, cancel.Token).GetAsyncEnumerator();
        try
        {
            Assert.Equal("DeadLetter@2", await NextAsync(fromPosition));
            Assert.Equal("Event@3", await NextAsync(fromPosition));
            Assert.Equal("Event@1", await NextAsync(everything));
            Assert.Equal("DeadLetter@2", await NextAsync(everything));
            Assert.Equal("Event@3", await NextAsync(everything));

            await backend.RecordAuditAsync(Audit(4));
            await backend.FlushAsync();
            Assert.Equal("Audit@4", await NextAsync(fromPosition));
            Assert.Equal("Audit@4", await NextAsync(everything));
            Assert.Equal(existing[^1].Position, (await StreamAllAsync(reader, new PersistenceReadRequest { Order = PersistenceReadOrder.NewestFirst, After = fromPosition.Current.Position }))[0].Position);

            await cancel.CancelAsync();
            Assert.False(await fromPosition.MoveNextAsync().AsTask().WaitAsync(StreamTimeout));
            Assert.False(await everything.MoveNextAsync().AsTask().WaitAsync(StreamTimeout));
        }
        finally
        {
            await fromPosition.DisposeAsync();
            await everything.DisposeAsync();
        }
    }

    private async Task<string> NextAsync(IAsyncEnumerator<StoredRecord> follow)
    {
        Assert.True(await follow.MoveNextAsync().AsTask().WaitAsync(StreamTimeout), "the follow ended instead of yielding a record");
        return Label(follow.Current.Record);
    }

    private bool TryGetStreamReader(IPersistenceBackend backend, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPersistenceStreamReader? reader)
    {
        reader = backend as IPersistenceStreamReader;
        Assert.True(IsStreamReader == reader is not null, IsStreamReader
            ? $"The {backend.Name} backend does not implement IPersistenceStreamReader; override IsStreamReader if it is not meant to."
            : $"The {backend.Name} backend implements IPersistenceStreamReader although IsStreamReader says it does not.");
        return reader is not null;
    }

    // A fresh backend holding Event@1, Event@2, Audit@3, Event@4 and DeadLetter@5 (a backend that
    // forgets its records on dispose cannot be reopened, so it is written again under the policy).
    private async Task<IPersistenceBackend> WriteMixedAsync(RetentionPolicy policy)
    {
        IPersistenceBackend fresh = CreateBackend(policy);
        await WriteMixedAsync(fresh);
        return fresh;
    }

    private async Task WriteMixedAsync(IPersistenceBackend backend)
    {
        await WriteEventsAsync(backend, 1, 2);
        await backend.RecordAuditAsync(Audit(3));
        await WriteEventsAsync(backend, 4);
        await backend.RecordDeadLetterAsync(DeadLetter(5));
    }
}
