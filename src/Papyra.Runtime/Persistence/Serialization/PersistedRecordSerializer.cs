using System.Buffers;
using System.Text.Json;

namespace Papyra.Persistence.Serialization;

/// <summary>
/// Writes records in Papyra's NDJSON format: one compact JSON object per line, <c>kind</c> first,
/// snake_case field names, UTF-8, non-ASCII not escaped, terminated by <c>\n</c>.
/// The format never changes incompatibly (golden files in <c>api/records/</c>).
/// </summary>
public static class PersistedRecordSerializer
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = MinimalJsonEscaper.Instance,
        Indented = false,
        SkipValidation = false,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_lineBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Serialises a record as one line, including the trailing newline.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The UTF-8 bytes of the line.</returns>
    public static byte[] SerializeLine(PersistedRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteLine(buffer, record);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a record as one line, including the trailing newline.</summary>
    /// <param name="destination">Where to write the UTF-8 bytes.</param>
    /// <param name="record">The record.</param>
    /// <returns>The number of bytes written.</returns>
    public static int WriteLine(IBufferWriter<byte> destination, PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(record);
        int written;
        using (var writer = new Utf8JsonWriter(destination, WriterOptions))
        {
            WriteObject(writer, record);
            writer.Flush();
            written = checked((int)writer.BytesCommitted);
        }

        destination.GetSpan(1)[0] = (byte)'\n';
        destination.Advance(1);
        return written + 1;
    }

    /// <summary>
    /// Serialises a record into a per-thread buffer (no allocation in steady state). The span is
    /// valid until the same thread serialises again, so copy it before any <c>await</c>.
    /// </summary>
    internal static ReadOnlySpan<byte> SerializeToThreadBuffer(PersistedRecord record)
    {
        ArrayBufferWriter<byte> buffer = t_lineBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        WriteObject(writer, record);
        writer.Flush();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        return buffer.WrittenSpan;
    }

    /// <summary>Writes a record as a JSON object (no newline).</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="record">The record.</param>
    public static void WriteObject(Utf8JsonWriter writer, PersistedRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString(RecordFieldNames.Kind, PersistedRecordKinds.ToWireName(record.Kind));
        writer.WriteString(RecordFieldNames.SystemId, record.SystemId);
        switch (record)
        {
            case PersistedEvent e:
                WriteAddress(writer, RecordFieldNames.ActorAddress, e.ActorAddress);
                writer.WriteString(RecordFieldNames.EventType, e.EventType);
                writer.WritePropertyName(RecordFieldNames.Payload);
                e.Payload.WriteTo(writer);
                writer.WriteNumber(RecordFieldNames.Timestamp, e.Timestamp);
                break;
            case PersistedAudit a:
                writer.WriteNumber(RecordFieldNames.Timestamp, a.Timestamp);
                writer.WriteNumber(RecordFieldNames.TotalActors, a.TotalActors);
                writer.WriteNumber(RecordFieldNames.AliveActors, a.AliveActors);
                writer.WriteNumber(RecordFieldNames.StoppingActors, a.StoppingActors);
                writer.WriteNumber(RecordFieldNames.RestartingActors, a.RestartingActors);
                writer.WriteNumber(RecordFieldNames.RegistrySize, a.RegistrySize);
                WriteStrings(writer, RecordFieldNames.RegistryOrphans, a.RegistryOrphans);
                WriteStrings(writer, RecordFieldNames.RegistryDead, a.RegistryDead);
                writer.WriteNumber(RecordFieldNames.DeadLettersCount, a.DeadLettersCount);
                break;
            case PersistedDeadLetter d:
                WriteAddress(writer, RecordFieldNames.Target, d.Target);
                writer.WriteString(RecordFieldNames.MessageType, d.MessageType);
                writer.WritePropertyName(RecordFieldNames.Payload);
                d.Payload.WriteTo(writer);
                writer.WriteNumber(RecordFieldNames.Timestamp, d.Timestamp);
                writer.WriteBoolean(RecordFieldNames.ExpectsReply, d.ExpectsReply);
                break;
            default:
                throw new ArgumentException($"Unknown record type {record.GetType().FullName}.", nameof(record));
        }

        writer.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter writer, string name, ActorAddress? address)
    {
        if (address is not { } a)
        {
            writer.WriteNull(name);
            return;
        }

        // The object form is what the Python original writes and reads.
        writer.WriteStartObject(name);
        writer.WriteString(RecordFieldNames.AddressSystem, a.System);
        writer.WriteNumber(RecordFieldNames.AddressActorId, a.Id);
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
