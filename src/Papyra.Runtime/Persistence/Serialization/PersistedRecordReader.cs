using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Reads one stored NDJSON line leniently: every shape the Python original writes is accepted
/// (either key order, spaced or compact separators, <c>\uXXXX</c> escapes, addresses as
/// <c>system:id</c> or <c>system://id</c> strings, <c>{"system","actor_id"}</c> objects or the
/// runtime dump <c>{"_address":{…}}</c>, the bare tokens <c>NaN</c>/<c>Infinity</c>, and minimal
/// records such as <c>{"kind":"event","timestamp":1}</c>). Only <c>kind</c> (one of the three) and
/// a finite numeric <c>timestamp</c> are required; a field of the wrong type reads as its default.
/// </summary>
public static class PersistedRecordReader
{
    [ThreadStatic]
    private static StoredLineReader? t_lineReader;

    /// <summary>
    /// The default deepest JSON nesting a line may have (the Python original's encoder nests to about
    /// 1,000 levels); deeper lines are <see cref="RecordLineProblem.TooDeep"/>. The file backends take
    /// their own limit (<c>MaxNestingDepth</c>).
    /// </summary>
    public const int MaxDepth = 1000;

    // How deep a line is parsed to tell "nested too deep" from "not JSON" once the limit rejected it.
    private const int DiagnosticDepth = 1 << 20;

    /// <summary>The system id given to records that have none (the Python original's default).</summary>
    public const string DefaultSystemId = "local";


    /// <summary>Checks whether a line (without its newline) is a valid record, without materialising it.</summary>
    /// <param name="line">The line's bytes, without the terminating <c>\n</c>.</param>
    /// <returns><see cref="RecordLineProblem.None"/> for a valid record, otherwise what is wrong.</returns>
    public static RecordLineProblem Validate(ReadOnlySpan<byte> line) => Validate(line, out _, out _, wantTimestamp: false);

    /// <summary>Checks whether a line is a valid record and returns its kind and timestamp.</summary>
    /// <param name="line">The line's bytes, without the terminating <c>\n</c>.</param>
    /// <param name="kind">The record's kind, when valid.</param>
    /// <param name="timestamp">The record's timestamp, when valid.</param>
    /// <returns><see cref="RecordLineProblem.None"/> for a valid record, otherwise what is wrong.</returns>
    public static RecordLineProblem Validate(ReadOnlySpan<byte> line, out PersistedRecordKind kind, out double timestamp)
        => Validate(line, out kind, out timestamp, wantTimestamp: true);

    /// <summary>Checks whether a line is a valid record; the timestamp's value is parsed only when asked for.</summary>
    /// <param name="line">The line's bytes, without the terminating <c>\n</c>.</param>
    /// <param name="kind">The record's kind, when valid.</param>
    /// <param name="timestamp">The record's timestamp when valid and <paramref name="wantTimestamp"/>, otherwise 0.</param>
    /// <param name="wantTimestamp">
    /// <see langword="false"/> when only validity matters (a scan): a number token is then known to be
    /// finite without parsing it whenever it has no exponent and fewer than 300 characters.
    /// </param>
    /// <param name="knownAscii">
    /// Whether the caller already knows the line holds only ASCII bytes (the scanner finds that for a
    /// whole buffer at once): it is then valid UTF-8 without a byte order mark, and neither is checked again.
    /// </param>
    /// <param name="maxDepth">The deepest nesting accepted.</param>
    /// <returns><see cref="RecordLineProblem.None"/> for a valid record, otherwise what is wrong.</returns>
    internal static RecordLineProblem Validate(ReadOnlySpan<byte> line, out PersistedRecordKind kind, out double timestamp, bool wantTimestamp, bool knownAscii = false, int maxDepth = MaxDepth)
    {
        kind = default;
        timestamp = 0;
        RecordLineProblem problem = knownAscii ? (IsBlank(line) ? RecordLineProblem.Blank : RecordLineProblem.None) : CheckBytes(line);
        if (problem != RecordLineProblem.None)
        {
            return problem;
        }

        problem = ValidateJson(line, out kind, out timestamp, wantTimestamp, maxDepth);
        if (problem == RecordLineProblem.MalformedJson && line.Contains((byte)0))
        {
            return RecordLineProblem.NulByte;
        }

        if (problem == RecordLineProblem.MalformedJson && NonFiniteLiterals.TryQuote(line) is { } quoted)
        {
            line = quoted;
            problem = ValidateJson(line, out kind, out timestamp, wantTimestamp, maxDepth);
        }

        // Only a rejected line pays for telling the two apart: parseable without the depth limit means too deep.
        if (problem == RecordLineProblem.MalformedJson && maxDepth < DiagnosticDepth
            && ValidateJson(line, out _, out _, wantTimestamp: false, DiagnosticDepth) != RecordLineProblem.MalformedJson)
        {
            kind = default;
            timestamp = 0;
            return RecordLineProblem.TooDeep;
        }

        return problem;
    }

    /// <summary>Reads a line (without its newline) as a record.</summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="record">The record, when the line is valid.</param>
    /// <param name="problem">What is wrong, when it is not.</param>
    /// <returns><see langword="true"/> when the line is a valid record.</returns>
    public static bool TryRead(ReadOnlySpan<byte> line, [NotNullWhen(true)] out PersistedRecord? record, out RecordLineProblem problem)
        => TryRead(line, MaxDepth, out record, out problem);

    /// <summary>Reads a line (without its newline) as a record, accepting nesting up to <paramref name="maxDepth"/>.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> line, int maxDepth, [NotNullWhen(true)] out PersistedRecord? record, out RecordLineProblem problem)
    {
        // The streaming reads' one-pass reader: the same verdict and an equal record (its tests hold
        // both to this reader's general path), without a document for lines of the usual shapes; the
        // payload is kept as its text until read. Each thread keeps one for the usual depth.
        StoredLineReader reader = maxDepth == MaxDepth ? t_lineReader ??= new StoredLineReader(MaxDepth) : new StoredLineReader(maxDepth);
        problem = reader.Parse(line, knownAscii: false, out StoredLineReader.LineFields fields);
        if (problem != RecordLineProblem.None)
        {
            record = null;
            return false;
        }

        record = reader.Build(line, fields);
        return true;
    }

    /// <summary>
    /// Reads a line a caller already validated (<see cref="Validate(ReadOnlySpan{byte}, out PersistedRecordKind, out double, bool, bool, int)"/>
    /// returned <see cref="RecordLineProblem.None"/> with this kind and timestamp): a streaming read
    /// classifies every line once and materialises only the ones it yields.
    /// </summary>
    internal static PersistedRecord ReadValidated(ReadOnlySpan<byte> line, PersistedRecordKind kind, double timestamp, int maxDepth)
    {
        byte[]? quoted = QuoteNonFinite(line);
        if (quoted is null && kind != PersistedRecordKind.Audit && TryReadFlat(line, kind, timestamp, maxDepth) is { } fast)
        {
            return fast;
        }

        return ReadQuotedDocument(quoted ?? line, kind, timestamp, maxDepth);
    }

    /// <summary>
    /// Reads a validated line the general way, as one document: every shape the reader accepts
    /// (non-finite literals quoted first). The faster readers are tested against it.
    /// </summary>
    internal static PersistedRecord ReadDocument(ReadOnlySpan<byte> line, PersistedRecordKind kind, double timestamp, int maxDepth)
        => ReadQuotedDocument(QuoteNonFinite(line) ?? line, kind, timestamp, maxDepth);

    // The line with NaN/Infinity literals quoted, or null when it has none.
    private static byte[]? QuoteNonFinite(ReadOnlySpan<byte> line) => line.IndexOfAny((byte)'N', (byte)'I') >= 0 ? NonFiniteLiterals.TryQuote(line) : null;

    private static PersistedRecord ReadQuotedDocument(ReadOnlySpan<byte> text, PersistedRecordKind kind, double timestamp, int maxDepth)
    {
        using JsonDocument document = ParseDocument(text, maxDepth);
        return Build(document.RootElement, kind, timestamp);
    }

    /// <summary>The verdict on a line from what a pass over it found, in the order every reader reports it.</summary>
    internal static RecordLineProblem Verdict(bool hasKind, bool kindKnown, bool hasTimestamp, bool timestampValid)
        => !hasKind ? RecordLineProblem.MissingKind
            : !kindKnown ? RecordLineProblem.UnknownKind
            : !hasTimestamp ? RecordLineProblem.MissingTimestamp
            : timestampValid ? RecordLineProblem.None
            : RecordLineProblem.NonNumericTimestamp;

    // The common shapes of events and dead letters, read in one pass of a Utf8JsonReader: only the
    // payload becomes a JsonElement (parsed on its own), with no document of the whole line. An
    // address that is not a "system:id" string or a {"system","actor_id"} object (the Python
    // runtime's {"_address":{…}} dump) returns null: the caller reads the line the general way.
    private static PersistedRecord? TryReadFlat(ReadOnlySpan<byte> line, PersistedRecordKind kind, double timestamp, int maxDepth)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        string? systemId = null;
        string? type = null;
        ActorAddress? address = null;
        JsonElement? payload = null;
        bool expectsReply = false;
        ReadOnlySpan<byte> addressName = kind == PersistedRecordKind.Event ? "actor_address"u8 : "target"u8;
        ReadOnlySpan<byte> typeName = kind == PersistedRecordKind.Event ? "event_type"u8 : "message_type"u8;
        reader.Read(); // the validated line is an object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                payload = JsonElement.ParseValue(ref reader);
                continue;
            }

            if (reader.ValueTextEquals("system_id"u8))
            {
                reader.Read();
                systemId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals(typeName))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals(addressName))
            {
                reader.Read();
                if (!TryReadFlatAddress(ref reader, out address))
                {
                    return null;
                }
            }
            else if (kind == PersistedRecordKind.DeadLetter && reader.ValueTextEquals("expects_reply"u8))
            {
                reader.Read();
                expectsReply = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        return kind == PersistedRecordKind.Event
            ? new PersistedEvent(systemId ?? DefaultSystemId, address, type ?? string.Empty, payload, timestamp)
            : new PersistedDeadLetter(systemId ?? DefaultSystemId, address, type ?? string.Empty, payload, timestamp, expectsReply);
    }

    private static bool TryReadFlatAddress(ref Utf8JsonReader reader, out ActorAddress? address)
    {
        address = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                string text = reader.GetString()!;
                if (ActorAddress.TryParse(text, out ActorAddress parsed))
                {
                    address = parsed;
                    return true;
                }

                return false; // "local://1" and unreadable text: the general way decides
            case JsonTokenType.StartObject:
                string? system = null;
                long? id = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("system"u8))
                    {
                        reader.Read();
                        system = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("actor_id"u8))
                    {
                        reader.Read();
                        id = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) ? value : null;
                        if (id is null)
                        {
                            return false;
                        }
                    }
                    else
                    {
                        return false; // "_address" and other shapes
                    }
                }

                address = ActorAddress.IsValidSystemId(system) && id is >= 1 ? new ActorAddress(system!, id.Value) : null;
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return true; // a field of the wrong type reads as unknown, as the general way reads it
        }
    }

    /// <summary>Which anomaly a problem is reported as.</summary>
    /// <param name="problem">The problem.</param>
    /// <returns><see cref="PersistenceAnomalyType.CorruptedLine"/> for unparseable content, <see cref="PersistenceAnomalyType.InvalidRecord"/> for parseable JSON that is not a record.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="problem"/> is <see cref="RecordLineProblem.None"/> or undefined.</exception>
    public static PersistenceAnomalyType AnomalyTypeOf(RecordLineProblem problem) => problem switch
    {
        RecordLineProblem.Blank or RecordLineProblem.NulByte or RecordLineProblem.InvalidUtf8 or RecordLineProblem.ByteOrderMark
            or RecordLineProblem.TooLong or RecordLineProblem.TooDeep or RecordLineProblem.MalformedJson => PersistenceAnomalyType.CorruptedLine,
        RecordLineProblem.NotAnObject or RecordLineProblem.MissingKind or RecordLineProblem.UnknownKind
            or RecordLineProblem.MissingTimestamp or RecordLineProblem.NonNumericTimestamp => PersistenceAnomalyType.InvalidRecord,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "Only a problem other than None maps to an anomaly type."),
    };

    /// <summary>What is wrong with a line, as the end of a sentence whose subject is the line.</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>The predicate, for example <c>is not valid UTF-8</c> or <c>contains a NUL byte</c>, so that <c>$"Line 3 {Describe(p)}."</c> reads as a sentence.</returns>
    public static string Describe(RecordLineProblem problem) => problem switch
    {
        RecordLineProblem.None => "is a valid record",
        RecordLineProblem.Blank => "is blank",
        RecordLineProblem.NulByte => "contains a NUL byte",
        RecordLineProblem.InvalidUtf8 => "is not valid UTF-8",
        RecordLineProblem.ByteOrderMark => "starts with a byte order mark",
        RecordLineProblem.TooLong => "is longer than the maximum line length",
        RecordLineProblem.TooDeep => "nests JSON deeper than the maximum nesting depth",
        RecordLineProblem.MalformedJson => "is not parseable JSON",
        RecordLineProblem.NotAnObject => "is JSON but not an object",
        RecordLineProblem.MissingKind => "has no string 'kind' field",
        RecordLineProblem.UnknownKind => "has a 'kind' that is not event, audit or dead_letter",
        RecordLineProblem.MissingTimestamp => "has no 'timestamp' field",
        RecordLineProblem.NonNumericTimestamp => "has a 'timestamp' that is not a finite number",
        _ => "has the problem " + problem.ToString(),
    };

    private static RecordLineProblem CheckBytes(ReadOnlySpan<byte> line)
    {
        if (IsBlank(line))
        {
            return RecordLineProblem.Blank;
        }

        // A NUL byte outranks the other problems, but it is looked for only once a line has one:
        // the JSON reader rejects a raw NUL anywhere (outside strings it is no token, inside one an
        // unescaped control character), so a line that parses has none.
        if (!Utf8.IsValid(line))
        {
            return line.Contains((byte)0) ? RecordLineProblem.NulByte : RecordLineProblem.InvalidUtf8;
        }

        if (line.StartsWith("\uFEFF"u8))
        {
            return line.Contains((byte)0) ? RecordLineProblem.NulByte : RecordLineProblem.ByteOrderMark;
        }

        return RecordLineProblem.None;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        // A loop rather than TrimStart(" \t\r"): a record's first byte settles it, and the
        // vectorised any-of search costs more to set up than the line takes to check.
        foreach (byte b in line)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFiniteNumber(ref Utf8JsonReader reader, bool wantValue, out double value)
    {
        if (!wantValue)
        {
            // Without an exponent, a number needs 309 integer digits to overflow a double.
            ReadOnlySpan<byte> raw = reader.ValueSpan;
            value = 0;
            if (raw.Length < 300 && raw.IndexOfAny((byte)'e', (byte)'E') < 0)
            {
                return true;
            }
        }

        return reader.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static RecordLineProblem ValidateJson(ReadOnlySpan<byte> line, out PersistedRecordKind kind, out double timestamp, bool wantTimestamp, int maxDepth)
    {
        kind = default;
        timestamp = 0;
        bool hasKind = false;
        bool kindKnown = false;
        bool hasTimestamp = false;
        bool timestampValid = false;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read())
            {
                return RecordLineProblem.Blank;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                while (reader.Read())
                {
                }

                return RecordLineProblem.NotAnObject;
            }

            // The scan runs this loop for every token of every line: test the token type first (a
            // field) and compare unescaped names as raw bytes; ValueTextEquals only for escaped ones.
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                // Six names per record reach here; a mismatched length or first byte settles most
                // of them without a comparison (an escaped name may be longer than its text).
                ReadOnlySpan<byte> name = reader.ValueSpan;
                bool escaped = reader.ValueIsEscaped;
                if (!escaped && (name.Length is not (4 or 9) || name[0] is not ((byte)'k' or (byte)'t')))
                {
                    continue;
                }

                if (NameIs(ref reader, "kind"u8))
                {
                    reader.Read();
                    hasKind = reader.TokenType == JsonTokenType.String;
                    kindKnown = hasKind && TryParseKind(ref reader, out kind);
                }
                else if (NameIs(ref reader, "timestamp"u8))
                {
                    reader.Read();
                    hasTimestamp = true;
                    timestampValid = reader.TokenType == JsonTokenType.Number && IsFiniteNumber(ref reader, wantTimestamp, out timestamp);
                }
            }
        }
        catch (JsonException)
        {
            return RecordLineProblem.MalformedJson;
        }

        return Verdict(hasKind, kindKnown, hasTimestamp, timestampValid);
    }

    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
        => reader.ValueIsEscaped ? reader.ValueTextEquals(name) : reader.ValueSpan.SequenceEqual(name);

    private static bool TryParseKind(ref Utf8JsonReader reader, out PersistedRecordKind kind)
    {
        if (NameIs(ref reader, "event"u8))
        {
            kind = PersistedRecordKind.Event;
            return true;
        }

        if (NameIs(ref reader, "audit"u8))
        {
            kind = PersistedRecordKind.Audit;
            return true;
        }

        if (NameIs(ref reader, "dead_letter"u8))
        {
            kind = PersistedRecordKind.DeadLetter;
            return true;
        }

        kind = default;
        return false;
    }

    private static JsonDocument ParseDocument(ReadOnlySpan<byte> line, int maxDepth)
    {
        // JsonDocument needs memory it can hold on to while parsing; lines are small.
        return JsonDocument.Parse(line.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
    }

    private static PersistedRecord Build(JsonElement root, PersistedRecordKind kind, double timestamp)
    {
        // One pass over the fields (the last duplicate wins, as in Python's json module).
        JsonElement? systemId = null, address = null, type = null, payload = null, target = null, expectsReply = null;
        JsonElement? total = null, alive = null, stopping = null, restarting = null, registrySize = null, orphans = null, dead = null, deadLetters = null;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            JsonElement value = property.Value;
            if (property.NameEquals(RecordFieldNames.SystemId))
            {
                systemId = value;
            }
            else if (property.NameEquals(RecordFieldNames.Payload))
            {
                payload = value;
            }
            else if (kind == PersistedRecordKind.Event)
            {
                if (property.NameEquals(RecordFieldNames.ActorAddress))
                {
                    address = value;
                }
                else if (property.NameEquals(RecordFieldNames.EventType))
                {
                    type = value;
                }
            }
            else if (kind == PersistedRecordKind.DeadLetter)
            {
                if (property.NameEquals(RecordFieldNames.Target))
                {
                    target = value;
                }
                else if (property.NameEquals(RecordFieldNames.MessageType))
                {
                    type = value;
                }
                else if (property.NameEquals(RecordFieldNames.ExpectsReply))
                {
                    expectsReply = value;
                }
            }
            else if (property.NameEquals(RecordFieldNames.TotalActors))
            {
                total = value;
            }
            else if (property.NameEquals(RecordFieldNames.AliveActors))
            {
                alive = value;
            }
            else if (property.NameEquals(RecordFieldNames.StoppingActors))
            {
                stopping = value;
            }
            else if (property.NameEquals(RecordFieldNames.RestartingActors))
            {
                restarting = value;
            }
            else if (property.NameEquals(RecordFieldNames.RegistrySize))
            {
                registrySize = value;
            }
            else if (property.NameEquals(RecordFieldNames.RegistryOrphans))
            {
                orphans = value;
            }
            else if (property.NameEquals(RecordFieldNames.RegistryDead))
            {
                dead = value;
            }
            else if (property.NameEquals(RecordFieldNames.DeadLettersCount))
            {
                deadLetters = value;
            }
        }

        string system = AsString(systemId) ?? DefaultSystemId;
        return kind switch
        {
            PersistedRecordKind.Event => new PersistedEvent(system, address is { } a ? ReadAddress(a, depth: 0) : null, AsString(type) ?? string.Empty, payload, timestamp),
            PersistedRecordKind.Audit => new PersistedAudit(
                system, timestamp, AsInt(total), AsInt(alive), AsInt(stopping), AsInt(restarting), AsInt(registrySize),
                AsStrings(orphans), AsStrings(dead), deadLetters is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out long count) ? count : 0),
            _ => new PersistedDeadLetter(
                system, target is { } t ? ReadAddress(t, depth: 0) : null, AsString(type) ?? string.Empty, payload, timestamp, expectsReply is { ValueKind: JsonValueKind.True }),
        };
    }

    private static string? AsString(JsonElement? element) => element is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    private static int AsInt(JsonElement? element) => element is { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out int value) ? value : 0;

    private static string[] AsStrings(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Array } array)
        {
            return [];
        }

        var values = new List<string>(array.GetArrayLength());
        foreach (JsonElement item in array.EnumerateArray())
        {
            values.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        }

        return [.. values];
    }

    private static JsonElement? Get(JsonElement root, string name)
    {
        // The last duplicate wins, as in Python's json module.
        JsonElement? found = null;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.NameEquals(name))
            {
                found = property.Value;
            }
        }

        return found;
    }

    private static string? GetString(JsonElement root, string name)
        => Get(root, name) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    private static ActorAddress? ReadAddress(JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                string text = element.GetString()!;
                if (ActorAddress.TryParse(text, out ActorAddress address))
                {
                    return address;
                }

                // The Python docs write addresses as "local://1".
                int scheme = text.IndexOf("://", StringComparison.Ordinal);
                return scheme > 0 && ActorAddress.TryParse(string.Concat(text.AsSpan(0, scheme), ":", text.AsSpan(scheme + 3)), out address)
                    ? address
                    : null;
            case JsonValueKind.Object when depth < 2:
                // A running Python system dumps the ActorRef's fields; the address is under "_address".
                if (Get(element, "_address") is { } inner)
                {
                    return ReadAddress(inner, depth + 1);
                }

                string? system = GetString(element, RecordFieldNames.AddressSystem);
                long? id = Get(element, RecordFieldNames.AddressActorId) switch
                {
                    { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out long v) => v,
                    { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long v) => v,
                    _ => null,
                };
                return ActorAddress.IsValidSystemId(system) && id is >= 1 ? new ActorAddress(system, id.Value) : null;
            default:
                return null;
        }
    }
}
