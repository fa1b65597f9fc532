namespace Papyra.Persistence.Retention;

/// <summary>What retention needs to know about one stored record.</summary>
/// <param name="Timestamp">The record's timestamp in Unix epoch seconds.</param>
/// <param name="Bytes">The UTF-8 size of the stored line, newline included.</param>
[PapyraInternal]
public readonly record struct RetentionCandidate(double Timestamp, long Bytes);
