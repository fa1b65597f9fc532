namespace Papyra.Persistence.Scanning;

/// <summary>Where one physical line of a store file is; its bytes come from <see cref="NdjsonLineReader.Current"/>.</summary>
/// <param name="Number">The 1-based line number.</param>
/// <param name="Offset">The 0-based byte offset of the line's first byte.</param>
/// <param name="Length">The line's length in bytes, without its newline.</param>
/// <param name="HasNewline">Whether the line is terminated by <c>\n</c> (only the last line of a file may not be).</param>
/// <param name="IsOverLong">Whether the line exceeded the maximum length: its bytes were skipped, not buffered.</param>
/// <param name="IsAscii">Whether the line is known to hold only ASCII bytes (then it is valid UTF-8 without a byte order mark); <see langword="false"/> when unknown.</param>
internal readonly record struct NdjsonLine(long Number, long Offset, long Length, bool HasNewline, bool IsOverLong, bool IsAscii = false)
{
    /// <summary>The bytes the line occupies in the file, newline included.</summary>
    public long StoredLength => Length + (HasNewline ? 1 : 0);
}
