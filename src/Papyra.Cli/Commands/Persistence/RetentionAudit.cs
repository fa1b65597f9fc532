using System.Buffers;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Cli.Commands.Persistence;

/// <summary>
/// Measures a store against a retention policy without changing it, in two streaming passes at most:
/// every record (all kinds, oldest first, retention not applied) is counted by kind and by system with
/// its size: for a file store the bytes of its stored line, newline included (from the positions the
/// streaming read gives, as compaction counts them); for other stores its compact line as the writer
/// would store it. The records older
/// than <c>max_age_seconds</c>, and the oldest records beyond <c>max_records</c> or
/// <c>max_total_bytes</c> (those compaction would remove), are counted the same way.
/// </summary>
internal static class RetentionAudit
{
    /// <summary>Counts of a set of records: total, bytes, by kind and by system.</summary>
    public sealed class Tally
    {
        public long Records { get; private set; }

        public long Bytes { get; private set; }

        public long Events { get; private set; }

        public long Audits { get; private set; }

        public long DeadLetters { get; private set; }

        public double? Oldest { get; private set; }

        public double? Newest { get; private set; }

        public SortedDictionary<string, long> BySystem { get; } = new(StringComparer.Ordinal);

        public void Add(PersistedRecord record, long bytes)
        {
            Records++;
            Bytes += bytes;
            switch (record.Kind)
            {
                case PersistedRecordKind.Event:
                    Events++;
                    break;
                case PersistedRecordKind.Audit:
                    Audits++;
                    break;
                default:
                    DeadLetters++;
                    break;
            }

            Oldest = Oldest is { } o ? Math.Min(o, record.Timestamp) : record.Timestamp;
            Newest = Newest is { } n ? Math.Max(n, record.Timestamp) : record.Timestamp;
            BySystem[record.SystemId] = BySystem.GetValueOrDefault(record.SystemId) + 1;
        }
    }

    /// <summary>One rule of the policy and what breaks it.</summary>
    public sealed record Rule(string Name, double Limit, Tally Beyond)
    {
        public bool Violated => Beyond.Records > 0;
    }

    /// <summary>The audit: every record, each rule set in the policy, and the damaged lines skipped.</summary>
    public sealed record Report(RetentionPolicy Policy, double Now, Tally All, IReadOnlyList<Rule> Rules, long Skipped)
    {
        public bool Compliant => Rules.All(r => !r.Violated);
    }

    public static async Task<Report> RunAsync(IPersistenceBackend backend, RetentionPolicy policy, double now, CancellationToken cancellationToken)
    {
        var all = new Tally();
        var aged = new Tally();
        var statistics = new PersistenceReadStatistics();
        var line = new LineSizer();
        double? oldestKept = policy.MaxAgeSeconds is { } age ? now - age : null;
        await foreach (StoredRecord stored in backend.StreamAsync(new PersistenceReadRequest { Statistics = statistics }, cancellationToken).ConfigureAwait(false))
        {
            long bytes = line.Size(stored);
            all.Add(stored.Record, bytes);
            if (stored.Record.Timestamp < oldestKept)
            {
                aged.Add(stored.Record, bytes);
            }
        }

        var rules = new List<Rule>();
        if (policy.MaxAgeSeconds is { } maxAge)
        {
            rules.Add(new Rule("max_age_seconds", maxAge, aged));
        }

        var overCount = new Tally();
        var overBytes = new Tally();
        long dropByCount = policy.MaxRecords is { } maxRecords ? Math.Max(0, all.Records - maxRecords) : 0;
        bool bytesOver = policy.MaxTotalBytes is { } maxBytes && all.Bytes > maxBytes;
        if (dropByCount > 0 || bytesOver)
        {
            // Second pass over the same records (no more than the first pass saw): the oldest ones a
            // compaction would remove. Beyond max_total_bytes: a record whose suffix (itself and every
            // newer record) is larger than the limit.
            long seen = 0;
            long before = 0;
            line = new LineSizer();
            await foreach (StoredRecord stored in backend.StreamAsync(PersistenceReadRequest.All, cancellationToken).ConfigureAwait(false))
            {
                if (seen++ >= all.Records)
                {
                    break;
                }

                long bytes = line.Size(stored);
                if (seen <= dropByCount)
                {
                    overCount.Add(stored.Record, bytes);
                }

                if (bytesOver && all.Bytes - before > policy.MaxTotalBytes!.Value)
                {
                    overBytes.Add(stored.Record, bytes);
                }

                before += bytes;
            }
        }

        if (policy.MaxRecords is { } records)
        {
            rules.Add(new Rule("max_records", records, overCount));
        }

        if (policy.MaxTotalBytes is { } total)
        {
            rules.Add(new Rule("max_total_bytes", total, overBytes));
        }

        return new Report(policy, now, all, rules, statistics.SkippedRecords);
    }

    /// <summary>The stored size of each record, read in store order.</summary>
    private sealed class LineSizer
    {
        private const string FileScheme = "file";
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private ulong _device;
        private ulong _inode;
        private ulong _end;
        private bool _inFile;

        public long Size(StoredRecord stored)
        {
            // A file position is <device>.<inode>.<end offset>.<hash>: the line ends where the record's
            // position is and starts where the previous record of the same file ended.
            Span<ulong> parts = stackalloc ulong[4];
            if (stored.Position.Scheme == FileScheme && stored.Position.TryGetParts(parts))
            {
                ulong start = _inFile && parts[0] == _device && parts[1] == _inode && parts[2] >= _end ? _end : 0;
                (_device, _inode, _end, _inFile) = (parts[0], parts[1], parts[2], true);
                return (long)(parts[2] - start);
            }

            _buffer.ResetWrittenCount();
            return PersistedRecordSerializer.WriteLine(_buffer, stored.Record);
        }
    }
}
