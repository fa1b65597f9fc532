using System.IO.Hashing;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using Papyra.Persistence.Durability;
using Papyra.Persistence.Files;
using Papyra.Persistence.Retention;
using Papyra.Persistence.Scanning;
using Papyra.Persistence.Serialization;
using SetFile = Papyra.Persistence.Reading.FileSetSnapshot.Member;

namespace Papyra.Persistence.Reading;

/// <summary>
/// Streaming reads of a file store (<see cref="IPersistenceStreamReader"/>): forward with a line
/// reader, newest first with <see cref="ReverseLineReader"/>, never holding more than one line (or
/// the <c>Limit</c> records asked for). Retention is applied as the list reads apply it: records
/// older than <c>max_age</c> are skipped one by one; <c>max_records</c>/<c>max_total_bytes</c> keep a
/// newest suffix, found by walking backwards until it is full.
/// A position is <c>file:&lt;device&gt;.&lt;inode&gt;.&lt;end offset&gt;.&lt;xxhash3 of the line&gt;</c>: the file
/// is found again by identity (so rotation renames do not matter) and the line before the offset
/// must still hash the same (so a rewrite by compaction or recovery is detected, not mis-resumed).
/// </summary>
internal sealed class FileStreamReader(FileStoreSettings settings, IFileSetLayout layout, Action flush)
{
    public const string Scheme = "file";
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(10);

    private LineLimits Limits => settings.Limits;

    public IAsyncEnumerable<StoredRecord> ReadAsync(PersistenceReadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SynchronousAsyncEnumerable<StoredRecord>(token => Read(request, token), cancellationToken);
    }

    private IEnumerable<StoredRecord> Read(PersistenceReadRequest request, CancellationToken cancellationToken)
    {
        flush();
        using FileSet set = FileSet.Open(layout);
        var retention = new RetentionWalk(settings.Retention, RetentionEvaluator.UnixNow(settings.TimeProvider));
        Cursor? after = request.After is { } position ? Resolve(set, position) : null;
        if (request.Order == PersistenceReadOrder.NewestFirst)
        {
            Cursor end = after is { } a ? new Cursor(a.File, a.LineStart, a.LineStart) : set.End;
            Cursor? floor = null;
            if (after is not null && retention.KeepsSuffix)
            {
                // Walking back from a position, count/bytes retention is not counted from there: the
                // kept suffix is the store's newest, so stop where it starts.
                floor = SuffixStart(set, retention, cancellationToken) ?? new Cursor(0, 0, 0);
                retention = RetentionWalk.AgeOnly(settings.Retention, retention.Now);
            }

            int count = 0;
            foreach (StoredRecord record in Backwards(set, end, request, retention, cancellationToken, stopAt: floor))
            {
                yield return record;
                if (++count == request.Limit)
                {
                    yield break;
                }
            }

            yield break;
        }

        if (request.Limit is { } limit)
        {
            // The newest `limit` matches after the start, collected backwards, yielded oldest first.
            var newest = new List<StoredRecord>(Math.Min(limit, 4096));
            foreach (StoredRecord record in Backwards(set, set.End, request, retention, cancellationToken, stopAt: after))
            {
                newest.Add(record);
                if (newest.Count == limit)
                {
                    break;
                }
            }

            for (int i = newest.Count - 1; i >= 0; i--)
            {
                yield return newest[i];
            }

            yield break;
        }

        Cursor start = after ?? new Cursor(0, 0, 0);
        if (retention.KeepsSuffix && SuffixStart(set, retention, cancellationToken) is { } suffix && suffix.CompareTo(start) > 0)
        {
            start = suffix;
        }

        // Forwards from the start: the loop is here rather than in a nested iterator (one step less per record).
        retention = RetentionWalk.AgeOnly(settings.Retention, retention.Now);
        var lines = new StoredLineReader(Limits.MaxDepth);
        for (int f = start.File; f < set.Files.Count; f++)
        {
            SetFile file = set.Files[f];
            if (file.Handle.IsInvalid)
            {
                continue; // no active file yet
            }

            long offset = f == start.File ? SkipStrayNewline(file.Handle, start.Offset) : 0;
            using var reader = new NdjsonLineReader(file.Handle, Limits.MaxLineBytes, startOffset: offset, completeLinesOnly: false);
            while (reader.TryReadLine(out NdjsonLine line))
            {
                if ((line.Number & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (TryMaterialize(line, reader.Current, file, request, retention, lines) is { } record)
                {
                    yield return record;
                }
            }
        }
    }

    public async IAsyncEnumerable<StoredRecord> FollowAsync(PersistenceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { Order = PersistenceReadOrder.OldestFirst };
        flush();
        await Task.Yield();
        Cursor start;
        var backlog = new List<StoredRecord>();
        FileSet set = FileSet.Open(layout);
        try
        {
            var retention = new RetentionWalk(settings.Retention, RetentionEvaluator.UnixNow(settings.TimeProvider));
            Cursor? after = request.After is { } position ? Resolve(set, position) : null;
            if (after is null && request.Limit is { } limit)
            {
                // The backlog: the newest `limit` complete records; following starts where they end.
                Cursor end = set.CompleteEnd();
                foreach (StoredRecord record in Backwards(set, end, request, retention, cancellationToken))
                {
                    backlog.Add(record);
                    if (backlog.Count == limit)
                    {
                        break;
                    }
                }

                backlog.Reverse();
                start = end;
            }
            else
            {
                start = after ?? new Cursor(0, 0, 0);
                if (retention.KeepsSuffix && SuffixStart(set, retention, cancellationToken) is { } suffix && suffix.CompareTo(start) > 0)
                {
                    start = suffix;
                }
            }
        }
        catch
        {
            set.Dispose();
            throw;
        }

        var ageOnly = RetentionWalk.AgeOnly(settings.Retention, RetentionEvaluator.UnixNow(settings.TimeProvider));
        var lines = new StoredLineReader(Limits.MaxDepth);
        using (set)
        {
            foreach (StoredRecord record in backlog)
            {
                yield return record;
            }

            int file = start.File;
            long offset = start.Offset;
            bool rewriteSeen = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                SetFile current = set.Files[file];
                using NdjsonLineReader? reader = current.Handle.IsInvalid
                    ? null
                    : new NdjsonLineReader(current.Handle, Limits.MaxLineBytes, startOffset: SkipStrayNewline(current.Handle, offset), completeLinesOnly: file == set.Files.Count - 1);
                bool switched = false;
                while (true)
                {
                    bool any = false;
                    while (reader is not null && reader.TryReadLine(out NdjsonLine line))
                    {
                        any = true;
                        if (TryMaterialize(line, reader.Current, current, request, ageOnly, lines) is { } record)
                        {
                            yield return record;
                        }
                    }

                    if (file < set.Files.Count - 1)
                    {
                        break; // an older file of the snapshot: read to its end, then the next one
                    }

                    if (!any)
                    {
                        // The active file has no new complete line: has it been rotated away?
                        bool? replaced = set.ActiveReplaced(layout);
                        if (replaced == false && !rewriteSeen)
                        {
                            // Not found among the rotated files: a rewrite, or a rotation that renamed
                            // the file past the listing while it was read. A rewrite is still one at the next poll.
                            rewriteSeen = true;
                            replaced = null;
                        }
                        else if (replaced != false)
                        {
                            rewriteSeen = false;
                        }

                        if (replaced is { } isReplaced)
                        {
                            if (!isReplaced)
                            {
                                throw new PersistencePositionException(
                                    $"The followed file '{current.Path}' was rewritten (compaction or recovery) while it was followed; start again from a position read after the rewrite.");
                            }

                            // Rotated: finish its complete lines (the writer synced them before rotating), then the file after it.
                            while (reader is not null && reader.TryReadLine(out NdjsonLine line))
                            {
                                if (TryMaterialize(line, reader.Current, current, request, ageOnly, lines) is { } record)
                                {
                                    yield return record;
                                }
                            }

                            set.AddNext(layout);
                            switched = true;
                            break;
                        }

                        try
                        {
                            await Task.Delay(FollowPoll, cancellationToken).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            yield break;
                        }
                    }
                }

                file = switched ? set.Files.Count - 1 : file + 1;
                offset = 0;
            }
        }
    }

    public ValueTask<PersistenceRecordCounts> CountAsync(CancellationToken cancellationToken)
    {
        flush();
        return new ValueTask<PersistenceRecordCounts>(Task.Run(() => Count(cancellationToken), cancellationToken));
    }

    private PersistenceRecordCounts Count(CancellationToken cancellationToken)
    {
        using FileSet set = FileSet.Open(layout);
        var retention = new RetentionWalk(settings.Retention, RetentionEvaluator.UnixNow(settings.TimeProvider));
        Span<long> kinds = stackalloc long[3];
        long skipped = 0;
        for (int f = set.Files.Count - 1; f >= 0; f--)
        {
            var reader = new ReverseLineReader(set.Files[f].Handle, set.Files[f].Length, Limits.MaxLineBytes);
            while (reader.TryReadLine(out NdjsonLine line))
            {
                if ((line.Number & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (LineClassifier.Classify(line, reader.Current, Limits.MaxDepth, out PersistedRecordKind kind, out double timestamp) != RecordLineProblem.None)
                {
                    skipped++;
                    continue;
                }

                switch (retention.Step(timestamp, line.Length + 1))
                {
                    case RetentionStep.Full:
                        return new PersistenceRecordCounts(kinds[0], kinds[1], kinds[2], skipped);
                    case RetentionStep.Kept:
                        kinds[(int)kind]++;
                        break;
                }
            }
        }

        return new PersistenceRecordCounts(kinds[0], kinds[1], kinds[2], skipped);
    }

    private IEnumerable<StoredRecord> Backwards(FileSet set, Cursor end, PersistenceReadRequest request, RetentionWalk retention, CancellationToken cancellationToken, Cursor? stopAt = null)
    {
        var lines = new StoredLineReader(Limits.MaxDepth);
        for (int f = end.File; f >= 0; f--)
        {
            if (stopAt is { } stop && f < stop.File)
            {
                yield break;
            }

            SetFile file = set.Files[f];
            var reader = new ReverseLineReader(file.Handle, f == end.File ? end.Offset : file.Length, Limits.MaxLineBytes);
            long floor = stopAt is { } s && s.File == f ? s.Offset : 0;
            while (reader.TryReadLine(out NdjsonLine line))
            {
                if (line.Offset < floor)
                {
                    yield break;
                }

                if ((line.Number & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                ReadOnlySpan<byte> bytes = reader.Current;
                if (line.IsOverLong || lines.Parse(bytes, line.IsAscii, out StoredLineReader.LineFields fields) != RecordLineProblem.None)
                {
                    request.Statistics?.RecordSkipped();
                    continue;
                }

                RetentionStep step = retention.Step(fields.Timestamp, line.Length + 1);
                if (step == RetentionStep.Full)
                {
                    yield break;
                }

                StoredRecord? record = step == RetentionStep.Kept ? Materialize(line, bytes, fields, file, request, lines) : null;
                if (record is not null)
                {
                    yield return record;
                }
            }
        }
    }

    private StoredRecord? TryMaterialize(in NdjsonLine line, ReadOnlySpan<byte> bytes, SetFile file, PersistenceReadRequest request, RetentionWalk ageOnly, StoredLineReader lines)
    {
        if (line.IsOverLong || lines.Parse(bytes, line.IsAscii, out StoredLineReader.LineFields fields) != RecordLineProblem.None)
        {
            request.Statistics?.RecordSkipped();
            return null;
        }

        if (ageOnly.Step(fields.Timestamp, line.Length + 1) != RetentionStep.Kept)
        {
            return null;
        }

        return Materialize(line, bytes, fields, file, request, lines);
    }

    private static StoredRecord? Materialize(in NdjsonLine line, ReadOnlySpan<byte> bytes, in StoredLineReader.LineFields fields, SetFile file, PersistenceReadRequest request, StoredLineReader lines)
    {
        double timestamp = fields.Timestamp;
        if (!request.Wants(fields.Kind) || (request.Since is { } since && timestamp < since) || (request.Until is { } until && timestamp > until))
        {
            return null;
        }

        if (!lines.MayMatch(bytes, fields, request))
        {
            return null;
        }

        PersistedRecord record = lines.Build(bytes, fields);
        if (!request.Matches(record))
        {
            return null;
        }

        return StoredRecords.At(record, Scheme, file.Device, file.Inode, (ulong)(line.Offset + line.StoredLength), XxHash3.HashToUInt64(bytes));
    }

    // Where the kept suffix of a count/bytes retention starts: just after the newest record that no longer fits.
    private Cursor? SuffixStart(FileSet set, RetentionWalk retention, CancellationToken cancellationToken)
    {
        for (int f = set.Files.Count - 1; f >= 0; f--)
        {
            var reader = new ReverseLineReader(set.Files[f].Handle, set.Files[f].Length, Limits.MaxLineBytes);
            while (reader.TryReadLine(out NdjsonLine line))
            {
                if ((line.Number & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (LineClassifier.Classify(line, reader.Current, Limits.MaxDepth, out _, out double timestamp) == RecordLineProblem.None
                    && retention.Step(timestamp, line.Length + 1) == RetentionStep.Full)
                {
                    long end = line.Offset + line.StoredLength;
                    return new Cursor(f, end, end);
                }
            }
        }

        return null;
    }

    private static Cursor Resolve(FileSet set, PersistencePosition position)
    {
        Span<ulong> parts = stackalloc ulong[4];
        if (position.Scheme != Scheme || !position.TryGetParts(parts))
        {
            throw new PersistencePositionException($"The position '{position}' does not belong to a file store.");
        }

        for (int f = 0; f < set.Files.Count; f++)
        {
            SetFile file = set.Files[f];
            if (file.Device != parts[0] || file.Inode != parts[1])
            {
                continue;
            }

            long end = (long)parts[2];
            if (end <= file.Length)
            {
                var reader = new ReverseLineReader(file.Handle, end, int.MaxValue / 2);
                if (reader.TryReadLine(out NdjsonLine line) && line.Offset + line.StoredLength == end && XxHash3.HashToUInt64(reader.Current) == parts[3])
                {
                    return new Cursor(f, end, line.Offset);
                }
            }

            throw new PersistencePositionException(
                $"The position '{position}' is no longer valid: the file '{file.Path}' it points into was rewritten (compaction or recovery) since it was read.");
        }

        throw new PersistencePositionException(
            $"The position '{position}' is no longer valid: the file it points into was rewritten or removed (compaction, recovery or rotation) since it was read.");
    }

    // A record read without its newline (a crash, or a writer mid-append) gets one appended later:
    // resuming after it must not read that newline as a blank line.
    private static long SkipStrayNewline(SafeFileHandle handle, long offset)
    {
        if (offset == 0)
        {
            return 0;
        }

        Span<byte> two = stackalloc byte[2];
        return RandomAccess.Read(handle, two, offset - 1) == 2 && two[0] != (byte)'\n' && two[1] == (byte)'\n' ? offset + 1 : offset;
    }

    /// <summary>A place in the set: a file index, an offset in it, and the start of the line that ends there.</summary>
    private readonly record struct Cursor(int File, long Offset, long LineStart) : IComparable<Cursor>
    {
        public int CompareTo(Cursor other) => File != other.File ? File.CompareTo(other.File) : Offset.CompareTo(other.Offset);
    }

    /// <summary>The files of the store opened at once: a snapshot that rotation renames cannot disturb.</summary>
    private sealed class FileSet : IDisposable
    {
        private FileSet(List<SetFile> files) => Files = files;

        public List<SetFile> Files { get; }

        public Cursor End => Files.Count == 0 ? new Cursor(0, 0, 0) : new Cursor(Files.Count - 1, Files[^1].Length, Files[^1].Length);

        /// <summary>
        /// Opens the set's files together (<see cref="FileSetSnapshot"/>: opened again when a rotation moved
        /// files while they were being opened) and takes over their handles.
        /// </summary>
        public static FileSet Open(IFileSetLayout layout)
        {
            // The handles pass to the set, which disposes them: the snapshot itself is not disposed.
            FileSetSnapshot snapshot = FileSetSnapshot.Open(layout);
            List<SetFile> files = [.. snapshot.Files];
            if (files.Count == 0 || files[^1].Path != layout.PrimaryPath)
            {
                // No active file yet: follow waits for it (an empty placeholder keeps indexes simple).
                files.Add(new SetFile(layout.PrimaryPath, new SafeFileHandle(), 0, 0, 0));
            }

            return new FileSet(files);
        }

        // The end of the last complete line of the active file (follow starts there).
        public Cursor CompleteEnd()
        {
            SetFile active = Files[^1];
            if (active.Length == 0 || active.Handle.IsInvalid)
            {
                return End;
            }

            var reader = new ReverseLineReader(active.Handle, active.Length, int.MaxValue / 2);
            long end = active.Length;
            if (reader.TryReadLine(out NdjsonLine last) && !last.HasNewline)
            {
                end = last.Offset;
            }

            return new Cursor(Files.Count - 1, end, end);
        }

        /// <summary>
        /// <see langword="null"/> while the active path still names the followed file; otherwise
        /// whether it was rotated (it is still part of the set, under another name) rather than
        /// rewritten or deleted.
        /// </summary>
        public bool? ActiveReplaced(IFileSetLayout layout)
        {
            SetFile active = Files[^1];
            using SetFile? now = SetFile.TryOpen(layout.PrimaryPath);
            if (active.Handle.IsInvalid)
            {
                return now is null ? null : true;
            }

            if (now is not null && now.Device == active.Device && now.Inode == active.Inode)
            {
                return null;
            }

            foreach (string path in layout.DataFilesOldestFirst())
            {
                using SetFile? member = SetFile.TryOpen(path);
                if (member is not null && member.Device == active.Device && member.Inode == active.Inode)
                {
                    // Rotated; until the writer creates the new active file there is nothing to switch to.
                    return now is null ? null : true;
                }
            }

            return false;
        }

        /// <summary>
        /// Adds the file that follows the last one in the set's order: the new active file after one
        /// rotation, or a rotated file when several rotations happened between two polls (none is skipped).
        /// </summary>
        public void AddNext(IFileSetLayout layout)
        {
            SetFile last = Files[^1];
            IReadOnlyList<string> members = layout.DataFilesOldestFirst();
            string? next = null;
            if (last.Handle.IsInvalid)
            {
                // The store had no file when following began: everything in it now is new.
                Files.RemoveAt(Files.Count - 1);
                next = members.Count > 0 ? members[0] : null;
            }
            else
            {
                for (int i = 0; i < members.Count - 1 && next is null; i++)
                {
                    using SetFile? member = SetFile.TryOpen(members[i]);
                    if (member is not null && member.Device == last.Device && member.Inode == last.Inode)
                    {
                        next = members[i + 1];
                    }
                }
            }

            Files.Add((next is null ? null : SetFile.TryOpen(next)) ?? new SetFile(layout.PrimaryPath, new SafeFileHandle(), 0, 0, 0));
        }

        public void Dispose()
        {
            foreach (SetFile file in Files)
            {
                file.Handle.Dispose();
            }
        }
    }
}
