using System.Globalization;
using Papyra.Persistence;
using Papyra.Persistence.Serialization;

namespace Papyra.Cli.Commands.Backup;

/// <summary>
/// Counts the records of NDJSON bytes fed in chunks, by kind, with the first and last timestamps and
/// the system ids of the first and last record, validating each line as a scan does
/// (<see cref="PersistedRecordReader.Validate(ReadOnlySpan{byte}, out PersistedRecordKind, out double)"/>).
/// Memory is bounded by the longest line it keeps (up to <see cref="MaxCarriedLine"/>; a longer line is counted as damaged).
/// Given a member name, it also reports each damaged line as a scan does (type, line, offset, detail).
/// </summary>
internal sealed class LineTally(string? member = null)
{
    /// <summary>The anomalies kept in full; more are only counted (as a scan's report keeps the first 1,000).</summary>
    public const int MaxReportedAnomalies = 1000;

    /// <summary>The longest line carried across chunk boundaries; a longer one is counted as damaged without being buffered.</summary>
    public const int MaxCarriedLine = 64 << 20;

    private byte[] _carry = new byte[4096];
    private int _carryLength;
    private bool _carryOverflow;
    private byte[] _lastValid = new byte[1024];
    private int _lastValidLength = -1;
    private long _fed;
    private long _lineStart;
    private long _lineNumber;
    private readonly List<ArchiveAnomaly> _anomalies = [];

    /// <summary>The damaged lines found (the first <see cref="MaxReportedAnomalies"/>), when a member name was given.</summary>
    public IReadOnlyList<ArchiveAnomaly> Anomalies => _anomalies;

    public long Events { get; private set; }

    public long Audits { get; private set; }

    public long DeadLetters { get; private set; }

    /// <summary>Lines that are not valid records (including an unterminated last line).</summary>
    public long Damaged { get; private set; }

    public long Records => Events + Audits + DeadLetters;

    public double? FirstTimestamp { get; private set; }

    public double? LastTimestamp { get; private set; }

    /// <summary>The system id of the first valid record.</summary>
    public string? FirstSystemId { get; private set; }

    /// <summary>Feeds the next bytes of the member.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        long position = _fed;
        _fed += data.Length;
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(data);
                return;
            }

            ReadOnlySpan<byte> part = data[..newline];
            if (_carryLength == 0 && !_carryOverflow)
            {
                Line(part, terminated: true);
            }
            else
            {
                Carry(part);
                if (_carryOverflow)
                {
                    Damage(RecordLineProblem.TooLong, terminated: true);
                }
                else
                {
                    Line(_carry.AsSpan(0, _carryLength), terminated: true);
                }

                _carryLength = 0;
                _carryOverflow = false;
            }

            position += newline + 1;
            _lineStart = position;
            data = data[(newline + 1)..];
        }
    }

    /// <summary>Ends the member: an unterminated last line is damaged, a TruncatedLine (a backup only copies complete lines).</summary>
    public void Complete()
    {
        if (_carryOverflow)
        {
            Damage(RecordLineProblem.TooLong, terminated: false);
        }
        else if (_carryLength > 0)
        {
            Line(_carry.AsSpan(0, _carryLength), terminated: false);
        }

        _carryLength = 0;
        _carryOverflow = false;
    }

    /// <summary>The system id of the last valid record (parsed once, at the end).</summary>
    public string? LastSystemId()
        => _lastValidLength >= 0 && PersistedRecordReader.TryRead(_lastValid.AsSpan(0, _lastValidLength), out PersistedRecord? record, out _)
            ? record.SystemId
            : null;

    /// <summary>Adds another member's tally (a rotating set's files, oldest first).</summary>
    public void Add(LineTally other)
    {
        Events += other.Events;
        Audits += other.Audits;
        DeadLetters += other.DeadLetters;
        Damaged += other.Damaged;
        FirstTimestamp = Min(FirstTimestamp, other.FirstTimestamp);
        LastTimestamp = Max(LastTimestamp, other.LastTimestamp);
        FirstSystemId ??= other.FirstSystemId;
        if (other._lastValidLength >= 0)
        {
            Keep(ref _lastValid, ref _lastValidLength, other._lastValid.AsSpan(0, other._lastValidLength));
        }
    }

    private void Carry(ReadOnlySpan<byte> data)
    {
        if (_carryOverflow)
        {
            return;
        }

        if ((long)_carryLength + data.Length > MaxCarriedLine)
        {
            _carryOverflow = true;
            _carryLength = 0;
            return;
        }

        if (_carryLength + data.Length > _carry.Length)
        {
            Array.Resize(ref _carry, Math.Max(_carryLength + data.Length, _carry.Length * 2));
        }

        data.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += data.Length;
    }

    private void Line(ReadOnlySpan<byte> line, bool terminated)
    {
        _lineNumber++;
        RecordLineProblem problem = PersistedRecordReader.Validate(line, out PersistedRecordKind kind, out double timestamp);
        if (problem != RecordLineProblem.None || !terminated)
        {
            _lineNumber--;
            Damage(problem, terminated);
            return;
        }

        switch (kind)
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

        FirstTimestamp = Min(FirstTimestamp, timestamp);
        LastTimestamp = Max(LastTimestamp, timestamp);
        if (FirstSystemId is null && PersistedRecordReader.TryRead(line, out PersistedRecord? record, out _))
        {
            FirstSystemId = record.SystemId;
        }

        Keep(ref _lastValid, ref _lastValidLength, line);
    }

    private void Damage(RecordLineProblem problem, bool terminated)
    {
        _lineNumber++;
        Damaged++;
        if (member is null || _anomalies.Count >= MaxReportedAnomalies)
        {
            return;
        }

        string number = _lineNumber.ToString(CultureInfo.InvariantCulture);
        if (!terminated)
        {
            string what = problem == RecordLineProblem.None ? "is a complete record" : PersistedRecordReader.Describe(problem);
            _anomalies.Add(new ArchiveAnomaly(nameof(PersistenceAnomalyType.TruncatedLine), member, $"Line {number} has no terminating newline (an interrupted write; the partial line {what}).", _lineNumber, _lineStart));
            return;
        }

        _anomalies.Add(new ArchiveAnomaly(PersistedRecordReader.AnomalyTypeOf(problem).ToString(), member, $"Line {number} {PersistedRecordReader.Describe(problem)}.", _lineNumber, _lineStart));
    }

    private static void Keep(ref byte[] buffer, ref int length, ReadOnlySpan<byte> line)
    {
        if (line.Length > buffer.Length)
        {
            buffer = new byte[line.Length];
        }

        line.CopyTo(buffer);
        length = line.Length;
    }

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
