using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Papyra.Persistence.Serialization;

namespace Papyra.Reports;

/// <summary>
/// How Papyra writes a JSON document for people and programs (reports, <c>--json</c> output, HTTP
/// bodies): UTF-8, only what JSON requires escaped, like the record files (SPEC §5), so a record
/// printed by <c>papyra inspect --json</c> has the bytes it has in the store.
/// </summary>
[PapyraInternal]
public static class ReportJson
{
    /// <summary>The media type of a report over HTTP.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>
    /// The generated type information of every report (serialization only: the generated fast path; the
    /// writer's options, <see cref="Compact"/> or <see cref="Indented"/>, decide escaping and indentation).
    /// </summary>
    public static PapyraReportJsonContext Context => PapyraReportJsonContext.Default;

    /// <summary>Writer options for one compact document (HTTP bodies, NDJSON lines).</summary>
    public static JsonWriterOptions Compact { get; } = new() { Encoder = MinimalJsonEscaper.Instance };

    /// <summary>Writer options for an indented document (<c>papyra … --json</c>).</summary>
    public static JsonWriterOptions Indented { get; } = new() { Encoder = MinimalJsonEscaper.Instance, Indented = true };

    /// <summary>Serializer options for a value outside the reports (a record's payload shown in a table or a CSV cell).</summary>
    public static JsonSerializerOptions Values { get; } = new() { Encoder = MinimalJsonEscaper.Instance };

    /// <summary>Writes <paramref name="report"/> to <paramref name="writer"/>.</summary>
    /// <typeparam name="T">The report type.</typeparam>
    /// <param name="writer">Where to write; its options decide indentation.</param>
    /// <param name="report">The report.</param>
    /// <param name="type">Its type information, from <see cref="Context"/>.</param>
    public static void Write<T>(Utf8JsonWriter writer, T report, JsonTypeInfo<T> type) => JsonSerializer.Serialize(writer, report, type);

    /// <summary>The compact UTF-8 document of <paramref name="report"/>.</summary>
    /// <typeparam name="T">The report type.</typeparam>
    /// <param name="report">The report.</param>
    /// <param name="type">Its type information, from <see cref="Context"/>.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ToUtf8Bytes<T>(T report, JsonTypeInfo<T> type) => ToUtf8Bytes(writer => Write(writer, report, type));

    /// <summary>The compact UTF-8 document <paramref name="write"/> writes (a document with dynamic keys, such as metrics).</summary>
    /// <param name="write">Writes one JSON value.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ToUtf8Bytes(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer, Compact))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
