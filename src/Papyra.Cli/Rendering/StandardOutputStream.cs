using System.Runtime.InteropServices;

namespace Papyra.Cli.Rendering;

/// <summary>
/// Standard output written with write(2) on file descriptor 1: for listings redirected to a file or
/// a pipe on Unix. The console's stream takes the console lock and scans every byte written to keep a
/// terminal's cursor position, which costs more than the listing itself; a FileStream on the
/// descriptor would write at its own offset (pwrite) and overwrite what stderr, redirected to the
/// same file, wrote meanwhile. Writes are unbuffered: callers write whole buffers.
/// </summary>
internal sealed partial class StandardOutputStream : Stream
{
    private const int StandardOutput = 1;
    private const int Interrupted = 4; // EINTR
    private const int BrokenPipe = 32; // EPIPE: the reader went away (| head); like the console stream, stop quietly

    private bool _broken;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty && !_broken)
        {
            nint written = WriteNative(StandardOutput, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            if (written < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interrupted)
                {
                    continue;
                }

                if (errno == BrokenPipe)
                {
                    _broken = true;
                    return;
                }

                throw new IOException($"Writing to standard output failed (errno {errno}).", errno);
            }

            buffer = buffer[(int)written..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int descriptor, ref byte buffer, nint count);
}
